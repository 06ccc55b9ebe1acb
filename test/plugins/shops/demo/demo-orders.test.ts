import { expect } from 'chai';
import { startTestApp, login, type TestApp } from '../../../helpers/app';

import { DEMO_BUYER } from '../../../../plugins/shops/demo-orders';
import { shopModels } from '../shop-models';

describe('shops: the demo orders', () => {
  let t: TestApp;
  before(async function () {
    this.timeout(90_000);
    t = await startTestApp({ plugins: ['shops'], env: { DEMO_SEED: '1' } });
  });
  after(async () => t.close());

  it('places orders through the checkout for the demo buyer: some paid, one shipped, one waiting for payment', async () => {
    const { User, Order, CheckoutGroup, OrderStatusHistory } = shopModels();
    const buyer = await User.findOne({ where: { email: DEMO_BUYER.email } });
    expect(buyer).to.not.equal(null);
    const orders = await Order.findAll({ where: { buyer_id: buyer!.id }, order: [['id', 'ASC']] });
    const statuses = orders.map((o) => o.status);
    expect(statuses.filter((s) => s === 'paid' || s === 'shipped').length).to.be.greaterThan(1);
    expect(statuses.filter((s) => s === 'shipped')).to.have.length(1);
    expect(statuses).to.include('pending');
    expect(await CheckoutGroup.count({ where: { buyer_id: buyer!.id } })).to.equal(3);
    expect(orders.every((o) => o.platform_fee > 0 && o.total === o.subtotal + o.shipping_total)).to.equal(true);
    expect(await OrderStatusHistory.count({ where: { to_status: 'shipped' } })).to.equal(1);
  });

  it('lets the demo buyer log in with the documented password and see the orders', async () => {
    const agent = t.agent();
    await login(agent, DEMO_BUYER.email, DEMO_BUYER.password);
    const page = await agent.get('/account/orders');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Shipped').and.include('Awaiting payment');
  });
});

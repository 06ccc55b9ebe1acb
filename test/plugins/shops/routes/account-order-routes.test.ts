import { expect } from 'chai';
import { createUser, csrfFrom, login, startTestApp, type TestApp } from '../../../helpers/app';
import { addToCart, checkout, makeProduct, makeShop } from '../order-helpers';
import { shopModels } from '../shop-models';

describe('shops: my orders', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('lists a buyer’s own orders with their history, and 404s on anyone else’s', async () => {
    const { shop } = await makeShop(t, { name: 'Gamma Shop' });
    const p = await makeProduct(t, shop, { title: 'Gamma Cup' });
    const alice = await createUser();
    const bob = await createUser();
    const aliceAgent = t.agent();
    await login(aliceAgent, alice.user.username, alice.password);
    await addToCart(aliceAgent, p.id, 1);
    expect((await checkout(aliceAgent, { email: alice.user.email })).status).to.equal(303);
    const { Order } = shopModels();
    const order = (await Order.findOne({ where: { buyer_id: alice.user.id } }))!;

    const list = await aliceAgent.get('/account/orders');
    expect(list.status).to.equal(200);
    expect(list.text).to.include(order.number).and.include('Gamma Shop');
    const page = await aliceAgent.get(`/account/orders/${order.number}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Gamma Cup').and.include('Order placed').and.include('Awaiting payment');

    const bobAgent = t.agent();
    await login(bobAgent, bob.user.username, bob.password);
    expect((await bobAgent.get('/account/orders')).text).to.not.include(order.number);
    expect((await bobAgent.get(`/account/orders/${order.number}`)).status).to.equal(404);
    const token = csrfFrom((await bobAgent.get('/account/orders')).text);
    expect((await bobAgent.post(`/account/orders/${order.number}/notes`).type('form').send({ _csrf: token, body: 'Mine now' })).status).to.equal(404);
    expect((await bobAgent.get('/account/orders/AG-NOPE-NOPE-1')).status).to.equal(404);
    // Guests are sent to log in.
    expect((await t.agent().get('/account/orders')).status).to.equal(302);
  });
});

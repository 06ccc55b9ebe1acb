import { expect } from 'chai';
import type supertest from 'supertest';
import { createUser, csrfFrom, login, loginAsAdmin, startTestApp, type TestApp } from '../../../helpers/app';
import type { Order } from '../../../../plugins/shops/models/order';
import { addToCart, checkout, makeProduct, makeShop, setShopsSettings } from '../order-helpers';
import { shopModels } from '../shop-models';

describe('shops: the seller’s orders', function () {
  this.timeout(90_000);
  let t: TestApp;
  let shopA: Awaited<ReturnType<typeof makeShop>>;
  let shopB: Awaited<ReturnType<typeof makeShop>>;
  let sellerA: supertest.Agent;
  let sellerB: supertest.Agent;

  /** A guest's order in shop A (and one in shop B when `both`), placed through the checkout. */
  async function guestOrder(email: string, both = false): Promise<Order[]> {
    const p = await makeProduct(t, shopA.shop, { price: 2000, stock: 20 });
    const agent = t.agent();
    await addToCart(agent, p.id, 1);
    if (both) await addToCart(agent, (await makeProduct(t, shopB.shop, { price: 500 })).id, 1);
    const res = await checkout(agent, { email });
    if (res.status !== 303) throw new Error(`checkout answered ${res.status}`);
    const { Order } = shopModels();
    return Order.findAll({ where: { email }, order: [['id', 'ASC']] });
  }

  /** Posts a form of the seller's order page, with the page's own CSRF token and hidden fields. */
  async function postOn(agent: supertest.Agent, order: Order, action: string, fields: Record<string, string>) {
    const page = await agent.get(`/seller/orders/${order.number}`);
    const token = csrfFrom(page.text);
    return agent.post(`/seller/orders/${order.number}/${action}`).type('form').send({ _csrf: token, ...fields });
  }

  before(async () => {
    t = await startTestApp({ smtp: true });
    await setShopsSettings(t, { feePercent: 10, feeFixed: 0 });
    shopA = await makeShop(t, { name: 'Alpha Goods' });
    shopB = await makeShop(t, { name: 'Beta Goods' });
    sellerA = t.agent();
    await login(sellerA, shopA.seller.username, shopA.password);
    sellerB = t.agent();
    await login(sellerB, shopB.seller.username, shopB.password);
  });
  after(async () => t.close());

  it('lists the shop’s orders with a status filter, and shows buyer, address, phone, email and the platform fee', async () => {
    const [order] = await guestOrder('lister@example.test');
    const list = await sellerA.get('/seller/orders');
    expect(list.status).to.equal(200);
    expect(list.text).to.include(order.number).and.include('Ada Lovelace');
    expect((await sellerA.get('/seller/orders?status=shipped')).text).to.not.include(order.number);
    expect((await sellerA.get('/seller/orders?status=pending')).text).to.include(order.number);
    const page = await sellerA.get(`/seller/orders/${order.number}`);
    expect(page.text).to.include('10 Downing Street').and.include('lister@example.test').and.include('Mark paid');
    expect(page.text).to.match(/class="platform-fee">€2\.00</); // 10% of 20.00
    expect(order.platform_fee).to.equal(200);
  });

  it('never shows or changes another shop’s orders, by URL or by form', async () => {
    const [order] = await guestOrder('private@example.test');
    expect((await sellerB.get('/seller/orders')).text).to.not.include(order.number);
    expect((await sellerB.get(`/seller/orders/${order.number}`)).status).to.equal(404);
    const token = csrfFrom((await sellerB.get('/seller/orders')).text);
    for (const [action, fields] of [
      ['status', { to: 'paid' }],
      ['status', { to: 'cancelled' }],
      ['refund', { amount: '1.00', idempotency_key: 'k'.repeat(20), reason: '' }],
      ['notes', { body: 'Hello from the wrong shop' }],
    ] as const) {
      const res = await sellerB.post(`/seller/orders/${order.number}/${action}`).type('form').send({ _csrf: token, ...fields });
      expect(res.status, action).to.equal(404);
    }
    const { Order, OrderNote } = shopModels();
    expect((await Order.findByPk(order.id))!.status).to.equal('pending');
    expect(await OrderNote.count({ where: { order_id: order.id } })).to.equal(0);
    // A customer with no shop is sent to open one; an admin sees every shop's orders.
    const { user, password } = await createUser();
    const customer = t.agent();
    await login(customer, user.username, password);
    expect((await customer.get(`/seller/orders/${order.number}`)).status).to.equal(302);
    const admin = t.agent();
    await loginAsAdmin(admin);
    expect((await admin.get('/seller/orders')).text).to.include(order.number);
    expect((await admin.get(`/seller/orders/${order.number}`)).status).to.equal(200);
  });

  it('moves an order through its states with the forms, tells the buyer, and answers 409 to an illegal move', async () => {
    const [order] = await guestOrder('mover@example.test');
    let res = await postOn(sellerA, order, 'status', { to: 'completed' });
    expect(res.status).to.equal(409);
    expect(res.text).to.include('cannot be marked completed');
    res = await postOn(sellerA, order, 'status', { to: 'paid' });
    expect(res.status).to.equal(303);
    res = await postOn(sellerA, order, 'status', { to: 'paid' });
    expect(res.status).to.equal(409);
    res = await postOn(sellerA, order, 'status', { to: 'shipped', tracking_number: 'LP123456789FR' });
    expect(res.status).to.equal(303);
    res = await postOn(sellerA, order, 'status', { to: 'cancelled' });
    expect(res.status).to.equal(409);
    res = await postOn(sellerA, order, 'status', { to: 'completed' });
    expect(res.status).to.equal(303);
    res = await postOn(sellerA, order, 'status', { to: 'exploded' });
    expect(res.status).to.equal(422);
    const { Order, OrderStatusHistory, CheckoutGroup } = shopModels();
    const fresh = (await Order.findByPk(order.id))!;
    expect(fresh.status).to.equal('completed');
    expect(fresh.tracking_number).to.equal('LP123456789FR');
    expect((await CheckoutGroup.findByPk(order.group_id))!.status).to.equal('paid');
    const history = await OrderStatusHistory.findAll({ where: { order_id: order.id }, order: [['id', 'ASC']] });
    expect(history.map((h) => h.to_status)).to.deep.equal(['pending', 'paid', 'shipped', 'completed']);
    expect(history[1].actor_id).to.equal(shopA.seller.id);
    await t.platform.jobs.idle();
    const shipped = await t.smtp!.waitFor('mover@example.test', /shipped/);
    expect(shipped.text).to.include('LP123456789FR');
  });

  it('refunds through the manual gateway once per idempotency key, partially then fully', async () => {
    const [order] = await guestOrder('refund@example.test'); // total 20.00 + 5.00 shipping
    expect((await postOn(sellerA, order, 'status', { to: 'paid' })).status).to.equal(303);
    const key = 'refund-key-0001-abcdef';
    let res = await postOn(sellerA, order, 'refund', { amount: '5.00', idempotency_key: key, reason: 'Chipped' });
    expect(res.status).to.equal(303);
    res = await postOn(sellerA, order, 'refund', { amount: '5.00', idempotency_key: key, reason: 'Chipped' });
    expect(res.status).to.equal(303);
    const { Order, Refund } = shopModels();
    expect(await Refund.count({ where: { order_id: order.id } })).to.equal(1);
    let fresh = (await Order.findByPk(order.id))!;
    expect([fresh.status, fresh.refunded_total]).to.deep.equal(['paid', 500]);
    const refund = (await Refund.findOne({ where: { order_id: order.id } }))!;
    expect(refund.provider_ref).to.equal(`manual-refund:${key}`);

    // More than what is left is refused; the rest refunds the order fully.
    res = await postOn(sellerA, order, 'refund', { amount: '21.00', idempotency_key: 'refund-key-0002-abcdef', reason: '' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('€20.00');
    res = await postOn(sellerA, order, 'refund', { amount: '20.00', idempotency_key: 'refund-key-0003-abcdef', reason: '' });
    expect(res.status).to.equal(303);
    fresh = (await Order.findByPk(order.id))!;
    // All of an unshipped order refunded: it is cancelled.
    expect([fresh.status, fresh.refunded_total]).to.deep.equal(['cancelled', 2500]);
    expect(await Refund.count({ where: { order_id: order.id } })).to.equal(2);
    // A cancelled order has no refund form and refuses another.
    res = await postOn(sellerA, order, 'refund', { amount: '1.00', idempotency_key: 'refund-key-0004-abcdef', reason: '' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('is cancelled; there is no payment to refund');
  });

  it('sends order notes to the other side by email, and shows them to both', async () => {
    const [order] = await guestOrder('notes@example.test');
    const { user: buyer, password } = await createUser();
    const { Order } = shopModels();
    await Order.update({ buyer_id: buyer.id }, { where: { id: order.id } });
    let res = await postOn(sellerA, order, 'notes', { body: 'Your parcel leaves on Monday.' });
    expect(res.status).to.equal(303);
    await t.platform.jobs.idle();
    const toBuyer = await t.smtp!.waitFor('notes@example.test', /Note from Alpha Goods/);
    expect(toBuyer.text).to.include('Your parcel leaves on Monday.');

    const agent = t.agent();
    await login(agent, buyer.username, password);
    const page = await agent.get(`/account/orders/${order.number}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Your parcel leaves on Monday.');
    res = await agent.post(`/account/orders/${order.number}/notes`).type('form').send({ _csrf: csrfFrom(page.text), body: 'Thank you! Please ring twice.' });
    expect(res.status).to.equal(303);
    await t.platform.jobs.idle();
    const toSeller = await t.smtp!.waitFor(shopA.seller.email, /Note on order/);
    expect(toSeller.text).to.include('Please ring twice');
    expect((await sellerA.get(`/seller/orders/${order.number}`)).text).to.include('Please ring twice');
    // An empty note is refused on the page.
    res = await postOn(sellerA, order, 'notes', { body: '   ' });
    expect(res.status).to.equal(422);
  });

  it('records the platform fee on each order of a group', async () => {
    const orders = await guestOrder('fees@example.test', true);
    expect(orders).to.have.length(2);
    expect(orders.map((o) => o.platform_fee)).to.deep.equal([200, 50]);
  });
});

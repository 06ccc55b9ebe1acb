import { expect } from 'chai';
import { createUser, csrfFrom, login, startTestApp, type TestApp } from '../../../helpers/app';
import { addToCart, checkout, makeProduct, makeShop } from '../order-helpers';
import { shopModels } from '../shop-models';

describe('shops: the confirmation page a guest keeps', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ smtp: true });
  });
  after(async () => t.close());

  it('opens with the link’s key in a new browser, takes notes to the seller, and refuses another group’s order', async () => {
    const { shop, seller } = await makeShop(t, { name: 'Epsilon Shop' });
    const p = await makeProduct(t, shop, { title: 'Epsilon Lamp' });
    const agent = t.agent();
    await addToCart(agent, p.id, 1);
    const placed = await checkout(agent, { email: 'guest.notes@example.test' });
    expect(placed.status).to.equal(303);
    const link = placed.headers.location as string;

    // Later, on another device, from the email.
    const later = t.agent();
    const page = await later.get(link);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Epsilon Lamp').and.include('Write a note to Epsilon Shop');
    const { Order, OrderNote, CheckoutGroup } = shopModels();
    const order = (await Order.findOne({ where: { email: 'guest.notes@example.test' } }))!;
    const group = (await CheckoutGroup.findByPk(order.group_id))!;
    const action = `/checkout/orders/${group.reference}/notes?${link.split('?')[1]}`;
    let res = await later.post(action).type('form').send({ _csrf: csrfFrom(page.text), order: order.number, body: 'Is gift wrapping possible?' });
    expect(res.status).to.equal(303);
    await t.platform.jobs.idle();
    const mail = await t.smtp!.waitFor(seller.email, /Note on order/);
    expect(mail.text).to.include('Is gift wrapping possible?');
    expect((await later.get(link)).text).to.include('Is gift wrapping possible?');

    // Without the key, or naming an order of another checkout, nothing is written.
    const other = await makeProduct(t, shop);
    const otherAgent = t.agent();
    await addToCart(otherAgent, other.id, 1);
    await checkout(otherAgent, { email: 'someone.else@example.test' });
    const foreign = (await Order.findOne({ where: { email: 'someone.else@example.test' } }))!;
    const token = csrfFrom((await later.get(link)).text);
    res = await later.post(action).type('form').send({ _csrf: token, order: foreign.number, body: 'Not mine' });
    expect(res.status).to.equal(404);
    res = await later.post(`/checkout/orders/${group.reference}/notes`).type('form').send({ _csrf: token, order: order.number, body: 'No key' });
    expect(res.status).to.equal(404);
    res = await later.post(action).type('form').send({ _csrf: token, order: order.number, body: '' });
    expect(res.status).to.equal(422);
    expect(await OrderNote.count({ where: { order_id: foreign.id } })).to.equal(0);
    expect(await OrderNote.count({ where: { order_id: order.id } })).to.equal(1);
  });

  it('opens without the key for the logged-in buyer who placed it, and for nobody else', async () => {
    const { shop } = await makeShop(t);
    const p = await makeProduct(t, shop);
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.username, password);
    await addToCart(agent, p.id, 1);
    await checkout(agent, { email: user.email });
    const group = (await shopModels().CheckoutGroup.findOne({ where: { buyer_id: user.id } }))!;
    expect((await agent.get(`/checkout/orders/${group.reference}`)).status).to.equal(200);
    const { user: other, password: otherPassword } = await createUser();
    const stranger = t.agent();
    await login(stranger, other.username, otherPassword);
    expect((await stranger.get(`/checkout/orders/${group.reference}`)).status).to.equal(404);
  });
});

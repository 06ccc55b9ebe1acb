import { expect } from 'chai';
import type supertest from 'supertest';
import { createUser, login, startTestApp, type TestApp } from '../../../helpers/app';
import { ADDRESS, addToCart, checkoutForm, makeProduct, makeShop } from '../order-helpers';
import { shopModels } from '../shop-models';

function post(agent: supertest.Agent, form: Record<string, string>) {
  return agent.post('/checkout').type('form').send({ ...form, ...ADDRESS, email: 'twice@example.test', phone: '', gateway: 'manual' });
}

/** Every answer is a 303 to one and the same confirmation page. */
function expectAllSentToOneOrder(results: supertest.Response[]): string {
  const statuses = results.map((r) => r.status);
  expect(statuses.every((s) => s === 303), `statuses ${statuses.join(',')}: ${results.find((r) => r.status !== 303)?.text.slice(0, 500)}`).to.equal(true);
  const places = new Set(results.map((r) => r.headers.location));
  expect([...places]).to.have.length(1);
  expect([...places][0]).to.match(/^\/checkout\/orders\/AG-[A-Z0-9-]+\?key=/);
  return [...places][0];
}

describe('shops: a cart is checked out once, however many times it is submitted', function () {
  this.timeout(180_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('20 simultaneous submits of one guest session make one order and take the stock once', async () => {
    const { shop } = await makeShop(t);
    const product = await makeProduct(t, shop, { title: 'Double Click Mug', stock: 50 });
    const agent = t.agent();
    expect((await addToCart(agent, product.id, 2)).status).to.equal(303);
    const form = await checkoutForm(agent);
    expect(form.cart_token).to.match(/^[a-f0-9]{32}$/);
    const { CheckoutGroup, Order, OrderItem, Product } = shopModels();
    const groupsBefore = await CheckoutGroup.count();

    const results = await Promise.all(Array.from({ length: 20 }, () => post(agent, form)));
    const place = expectAllSentToOneOrder(results);

    expect(await CheckoutGroup.count()).to.equal(groupsBefore + 1);
    expect(await OrderItem.count({ where: { product_id: product.id } })).to.equal(1);
    expect((await Product.findByPk(product.id))!.stock).to.equal(48);
    const group = (await CheckoutGroup.findOne({ order: [['id', 'DESC']] }))!;
    expect(place).to.include(group.reference);
    expect(await Order.count({ where: { group_id: group.id } })).to.equal(1);
    // The page the buyer lands on is the order, and the cart is empty.
    expect((await agent.get(place)).text).to.include(group.reference);
    expect((await agent.get('/cart')).text).to.include('Cart (0)');
    // Submitting the old page once more, later, still lands on that order rather than placing another.
    const again = await post(agent, form);
    expect([again.status, again.headers.location]).to.deep.equal([303, place]);
    expect(await CheckoutGroup.count()).to.equal(groupsBefore + 1);
  });

  it('one account in 20 sessions sharing its database cart makes one order; the other 19 are sent to it', async () => {
    const { shop } = await makeShop(t);
    const product = await makeProduct(t, shop, { title: 'Shared Cart Lamp', stock: 50 });
    const { user, password } = await createUser();
    const agents = Array.from({ length: 20 }, () => t.agent());
    for (const a of agents) await login(a, user.email, password);
    expect((await addToCart(agents[0], product.id, 3)).status).to.equal(303);
    const forms = await Promise.all(agents.map((a) => checkoutForm(a)));
    expect(new Set(forms.map((f) => f.cart_token)).size).to.equal(1);
    const { Cart, CartItem, CheckoutGroup, OrderItem, Product } = shopModels();

    const results = await Promise.all(agents.map((a, i) => post(a, forms[i])));
    const place = expectAllSentToOneOrder(results);

    const groups = await CheckoutGroup.findAll({ where: { buyer_id: user.id } });
    expect(groups).to.have.length(1);
    expect(place).to.include(groups[0].reference);
    expect(await OrderItem.count({ where: { product_id: product.id } })).to.equal(1);
    expect((await Product.findByPk(product.id))!.stock).to.equal(47);
    const cart = (await Cart.findOne({ where: { user_id: user.id } }))!;
    expect(cart.version).to.equal(1);
    expect(await CartItem.count({ where: { cart_id: cart.id } })).to.equal(0);

    // The next checkout of the same account is a new one.
    expect((await addToCart(agents[1], product.id, 1)).status).to.equal(303);
    const next = await post(agents[1], await checkoutForm(agents[1]));
    expect(next.status).to.equal(303);
    expect(next.headers.location).to.not.equal(place);
    expect(await CheckoutGroup.count({ where: { buyer_id: user.id } })).to.equal(2);
  });
});

import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, type TestApp } from '../../../helpers/app';
import { ADDRESS, addToCart, checkoutForm, makeProduct, makeShop } from '../order-helpers';
import { shopModels } from '../shop-models';

/** A guest with the product in their cart and the checkout form they were shown. */
async function buyerReady(t: TestApp, productId: number): Promise<{ agent: supertest.Agent; form: Record<string, string> }> {
  const agent = t.agent();
  const added = await addToCart(agent, productId, 1);
  if (added.status !== 303) throw new Error(`add to cart answered ${added.status}`);
  return { agent, form: await checkoutForm(agent) };
}

function placeOrder(buyer: { agent: supertest.Agent; form: Record<string, string> }, n: number) {
  return buyer.agent
    .post('/checkout')
    .type('form')
    .send({ ...buyer.form, ...ADDRESS, email: `racer${n}@example.test`, phone: '', gateway: 'manual' });
}

describe('shops: stock is taken once, under concurrency', function () {
  this.timeout(180_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('gives the last unit to exactly one of two buyers; the other is told it sold out', async () => {
    const { shop } = await makeShop(t);
    const last = await makeProduct(t, shop, { title: 'Last Lamp', stock: 1 });
    const buyers = await Promise.all([buyerReady(t, last.id), buyerReady(t, last.id)]);
    const results = await Promise.all(buyers.map((b, i) => placeOrder(b, i)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).to.deep.equal([303, 422]);
    const refused = results.find((r) => r.status === 422)!;
    expect(refused.text).to.include('Last Lamp').and.include('sold out');
    const { Order, OrderItem, Product, CheckoutGroup } = shopModels();
    expect(await OrderItem.count({ where: { product_id: last.id } })).to.equal(1);
    expect((await Product.findByPk(last.id))!.stock).to.equal(0);
    // The refused checkout left nothing behind: no group, no order.
    expect(await CheckoutGroup.count()).to.equal(1);
    expect(await Order.count()).to.equal(1);
  });

  it('sells exactly 10 units to 200 buyers checking out at the same moment, never going below zero', async () => {
    const { shop } = await makeShop(t);
    const product = await makeProduct(t, shop, { title: 'Limited Print', stock: 10 });
    const buyers: Array<{ agent: supertest.Agent; form: Record<string, string> }> = [];
    // Carts are filled a few at a time; only the checkouts race.
    for (let i = 0; i < 200; i += 20) buyers.push(...(await Promise.all(Array.from({ length: 20 }, () => buyerReady(t, product.id)))));
    const results = await Promise.all(buyers.map((b, i) => placeOrder(b, i)));
    const counts = new Map<number, number>();
    for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(counts)).to.deep.equal({ 303: 10, 422: 190 });
    const { OrderItem, Product } = shopModels();
    expect(await OrderItem.count({ where: { product_id: product.id } })).to.equal(10);
    expect(await OrderItem.sum('quantity', { where: { product_id: product.id } })).to.equal(10);
    expect((await Product.findByPk(product.id))!.stock).to.equal(0);
  });
});

import { expect } from 'chai';
import { createUser, login, startTestApp, type TestApp } from '../../helpers/app';
import { personalDataGaps, describeGaps } from '../../../core/privacy/coverage';
import { addToCart, checkout, makeProduct, makeShop, postForm } from './order-helpers';
import { shopModels } from './shop-models';

describe('shops: privacy of orders, addresses and carts', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('covers every personal column of the order models with an exporter and an eraser', () => {
    const m = shopModels();
    const mine = [m.Order, m.OrderNote, m.CheckoutGroup, m.Address, m.Cart, m.CartItem, m.OrderItem, m.OrderStatusHistory, m.PaymentEvent, m.Refund];
    const gaps = personalDataGaps(
      mine.map((model) => ({ owner: 'shops', model })),
      t.platform.privacy,
    );
    expect(gaps, describeGaps(gaps)).to.deep.equal([]);
    // The models do mark their personal columns.
    expect(Object.entries(m.Order.getAttributes()).filter(([, d]) => d.personal).map(([k]) => k)).to.include.members(['email', 'ship_name', 'ship_line1', 'phone']);
  });

  it('exports a buyer’s orders, checkouts, addresses and cart; erasure keeps paid orders anonymized for tax and removes the rest', async () => {
    const { shop, seller: sellerUser, password: sellerPassword } = await makeShop(t, { name: 'Delta Shop' });
    const kept = await makeProduct(t, shop, { title: 'Kept Kettle', stock: 5 });
    const dropped = await makeProduct(t, shop, { title: 'Dropped Drum', stock: 5 });
    const later = await makeProduct(t, shop, { title: 'Cart Candle', stock: 5 });
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.username, password);

    await addToCart(agent, kept.id, 1);
    expect((await checkout(agent, { email: user.email, save_address: 'on', phone: '+33 6 00 00 00 00' })).status).to.equal(303);
    await addToCart(agent, dropped.id, 2);
    expect((await checkout(agent, { email: user.email })).status).to.equal(303);
    await addToCart(agent, later.id, 1);

    const { Order, OrderItem, OrderNote, CheckoutGroup, Address, Cart, CartItem, Product } = shopModels();
    const paidOrder = (await Order.findOne({ where: { id: (await OrderItem.findOne({ where: { product_id: kept.id } }))!.order_id } }))!;
    const pendingOrder = (await Order.findOne({ where: { id: (await OrderItem.findOne({ where: { product_id: dropped.id } }))!.order_id } }))!;
    const seller = t.agent();
    await login(seller, sellerUser.username, sellerPassword);
    expect((await postForm(seller, `/seller/orders/${paidOrder.number}/status`, { to: 'paid' })).status).to.equal(303);
    expect((await postForm(agent, `/account/orders/${paidOrder.number}/notes`, { body: 'Leave it with my neighbour at number 12.' })).status).to.equal(303);
    expect((await postForm(seller, `/seller/orders/${paidOrder.number}/notes`, { body: 'Will do.' })).status).to.equal(303);
    expect((await Product.findByPk(dropped.id))!.stock).to.equal(3);

    const person = { email: user.email, userId: user.id };
    const exported = await t.platform.privacy.exportPerson(person);
    const shops = exported.sections.filter((s) => s.owner === 'shops');
    const items = (name: string) => shops.find((s) => s.exporter === name)?.items ?? [];
    expect(items('orders').map((i) => i.id)).to.include.members([paidOrder.number, pendingOrder.number]);
    const exportedPaid = items('orders').find((i) => i.id === paidOrder.number)!.data as { ship_to: { line1: string }; phone: string; notes: Array<{ body: string }>; items: Array<{ title: string }> };
    expect(exportedPaid.ship_to.line1).to.equal('10 Downing Street');
    expect(exportedPaid.phone).to.equal('+33 6 00 00 00 00');
    expect(exportedPaid.items[0].title).to.equal('Kept Kettle');
    expect(exportedPaid.notes.map((n) => n.body)).to.include('Leave it with my neighbour at number 12.');
    expect(items('checkout-groups')).to.have.length(2);
    expect(items('addresses')).to.have.length(1);
    expect(items('cart').map((i) => i.id)).to.deep.equal([later.id]);

    const result = await t.platform.privacy.erasePerson(person);
    const orderSection = result.sections.find((s) => s.owner === 'shops' && s.eraser === 'orders')!;
    expect(orderSection.error).to.equal(undefined);
    expect(orderSection.retained).to.have.length(1);
    expect(orderSection.retained[0].what).to.include(paidOrder.number);
    expect(orderSection.retained[0].reason).to.match(/Tax law: invoices are kept for 6 years/);
    expect(orderSection.removed.join(' ')).to.include(pendingOrder.number);

    const anonymized = (await Order.findByPk(paidOrder.id))!;
    expect(anonymized.buyer_id).to.equal(null);
    expect(anonymized.email).to.not.equal(user.email);
    expect(anonymized.email).to.match(/\.invalid$/);
    expect([anonymized.ship_line1, anonymized.ship_line2, anonymized.phone]).to.deep.equal(['', '', '']);
    expect([anonymized.ship_name, anonymized.ship_city, anonymized.ship_postcode, anonymized.ship_country]).to.deep.equal(['Ada Lovelace', 'Paris', '75001', 'FR']);
    expect(anonymized.anonymized_at).to.be.instanceOf(Date);
    const until = new Date(anonymized.paid_at!);
    until.setUTCFullYear(until.getUTCFullYear() + 6);
    expect(orderSection.retained[0].until).to.equal(until.toISOString().slice(0, 10));
    expect(await OrderItem.count({ where: { order_id: paidOrder.id } })).to.equal(1);
    // The buyer's note is gone; the seller's stays with the kept order.
    expect((await OrderNote.findAll({ where: { order_id: paidOrder.id } })).map((n) => n.body)).to.deep.equal(['Will do.']);
    const keptGroup = (await CheckoutGroup.findByPk(paidOrder.group_id))!;
    expect([keptGroup.buyer_id, keptGroup.email]).to.deep.equal([null, anonymized.email]);

    expect(await Order.findByPk(pendingOrder.id)).to.equal(null);
    expect(await CheckoutGroup.findByPk(pendingOrder.group_id)).to.equal(null);
    expect((await Product.findByPk(dropped.id))!.stock).to.equal(5);
    expect(await Address.count({ where: { user_id: user.id } })).to.equal(0);
    expect(await Cart.count({ where: { user_id: user.id } })).to.equal(0);
    expect(await CartItem.count({ where: { product_id: later.id } })).to.equal(0);

    // Nothing of the person is left to export.
    const after = await t.platform.privacy.exportPerson(person);
    const left = after.sections.filter((s) => s.owner === 'shops' && ['orders', 'checkout-groups', 'addresses', 'cart'].includes(s.exporter));
    expect(left.flatMap((s) => s.items)).to.deep.equal([]);
  });

  it('erases a guest’s orders by email', async () => {
    const { shop } = await makeShop(t);
    const p = await makeProduct(t, shop);
    const agent = t.agent();
    await addToCart(agent, p.id, 1);
    expect((await checkout(agent, { email: 'Guest.Erased@Example.test' })).status).to.equal(303);
    const result = await t.platform.privacy.erasePerson('guest.erased@example.test');
    const section = result.sections.find((s) => s.owner === 'shops' && s.eraser === 'orders')!;
    expect(section.removed.some((r) => r.startsWith('Order '))).to.equal(true);
    expect(await shopModels().Order.count({ where: { email: 'guest.erased@example.test' } })).to.equal(0);
  });
});

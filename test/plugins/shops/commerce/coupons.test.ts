import { expect } from 'chai';
import type supertest from 'supertest';
import { createUser, csrfFrom, login, loginAsAdmin, startTestApp, type TestApp } from '../../../helpers/app';
import { ADDRESS, addToCart, checkout, checkoutForm, makeProduct, makeShop, postForm } from '../order-helpers';
import { shopModels } from '../shop-models';

const day = (offset: number) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);

async function sellerAgent(t: TestApp, email: string, password: string): Promise<supertest.Agent> {
  const agent = t.agent();
  await login(agent, email, password);
  return agent;
}

async function makeCoupon(agent: supertest.Agent, base: string, fields: Record<string, string>) {
  const page = await agent.get(base);
  return agent
    .post(base)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), description: '', kind: 'percent', value: '10', min_subtotal: '', starts_on: '', ends_on: '', usage_limit: '', per_buyer_limit: '', active: 'on', ...fields });
}

const applyCode = (agent: supertest.Agent, code: string) => postForm(agent, '/cart/coupon', { code });

describe('shops: coupons', function () {
  this.timeout(300_000);
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('a seller makes a coupon in their form; the cart refuses it on the same page before its day, under its minimum, after its end', async () => {
    const { shop, seller, password } = await makeShop(t, { name: 'Wool Works' });
    const scarf = await makeProduct(t, shop, { title: 'Scarf', price: 3000 });
    const agent = await sellerAgent(t, seller.email, password);
    const refused = await makeCoupon(agent, '/seller/coupons', { code: 'bad code!' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('Use letters, digits');
    const tooMuch = await makeCoupon(agent, '/seller/coupons', { code: 'HALFOFF', value: '150' });
    expect(tooMuch.status).to.equal(422);
    expect(tooMuch.text).to.include('between 0.01 and 100');
    expect((await makeCoupon(agent, '/seller/coupons', { code: 'later10', starts_on: day(3) })).status).to.equal(303);
    expect((await makeCoupon(agent, '/seller/coupons', { code: 'BIG10', min_subtotal: '50.00' })).status).to.equal(303);
    expect((await makeCoupon(agent, '/seller/coupons', { code: 'WOOL5', kind: 'fixed', value: '5.00', ends_on: day(10) })).status).to.equal(303);
    expect((await makeCoupon(agent, '/seller/coupons', { code: 'WOOL5' })).text).to.include('That code is taken');
    const { Coupon } = shopModels();
    expect((await Coupon.findOne({ where: { code: 'LATER10' } }))!.shop_id).to.equal(shop.id);

    const buyer = t.agent();
    await addToCart(buyer, scarf.id, 1);
    const early = await applyCode(buyer, 'later10');
    expect(early.status).to.equal(422);
    expect(early.text).to.include('The code LATER10 is valid from');
    const small = await applyCode(buyer, 'BIG10');
    expect(small.status).to.equal(422);
    expect(small.text).to.include('needs an order of at least €50.00');
    expect((await applyCode(buyer, 'NOPE')).text).to.include('There is no coupon NOPE');
    expect((await applyCode(buyer, 'WOOL5')).status).to.equal(303);
    const cart = await buyer.get('/cart');
    expect(cart.text).to.include('WOOL5').and.match(/class="cart-total">€30\.00</); // 30.00 − 5.00 + 5.00 post
    // Expired meanwhile: checkout checks again and says why, writing nothing.
    await Coupon.update({ ends_at: new Date(Date.now() - 1000) }, { where: { code: 'WOOL5' } });
    const placed = await checkout(buyer);
    expect(placed.status).to.equal(422);
    expect(placed.text).to.include('The code WOOL5 expired');
    expect(await shopModels().Order.count({ where: { shop_id: shop.id } })).to.equal(0);
  });

  it('counts the per-buyer limit by account, and gives the use back when the unpaid order is cancelled', async () => {
    const { shop, seller, password } = await makeShop(t, { name: 'Once Only' });
    const mug = await makeProduct(t, shop, { title: 'Mug', price: 2000, stock: null });
    const agent = await sellerAgent(t, seller.email, password);
    expect((await makeCoupon(agent, '/seller/coupons', { code: 'ONCE', per_buyer_limit: '1', value: '25' })).status).to.equal(303);
    const { user, password: buyerPassword } = await createUser({ role: 'customer' });
    const buyer = t.agent();
    await login(buyer, user.email, buyerPassword);
    await addToCart(buyer, mug.id, 1);
    expect((await applyCode(buyer, 'ONCE')).status).to.equal(303);
    expect((await checkout(buyer)).status).to.equal(303);
    const { Order, CouponRedemption, Coupon } = shopModels();
    const order = (await Order.findOne({ where: { shop_id: shop.id } }))!;
    expect([order.subtotal, order.discount_total, order.total]).to.deep.equal([2000, 500, 2000]); // 20 − 5 + 5 post
    const [redemption] = await CouponRedemption.findAll({ where: { order_id: order.id } });
    expect([redemption.amount, redemption.buyer_id, redemption.status]).to.deep.equal([500, user.id, 'applied']);

    await addToCart(buyer, mug.id, 1);
    const again = await applyCode(buyer, 'ONCE');
    expect(again.status).to.equal(422);
    expect(again.text).to.include('You have already used the code ONCE');

    // The seller cancels the unpaid order: the use comes back, and the buyer may use the code again.
    const page = await agent.get(`/seller/orders/${encodeURIComponent(order.number)}`);
    expect((await agent.post(`/seller/orders/${encodeURIComponent(order.number)}/status`).type('form').send({ _csrf: csrfFrom(page.text), to: 'cancelled', tracking_number: '', note: '' })).status).to.equal(303);
    expect((await CouponRedemption.findByPk(redemption.id))!.status).to.equal('released');
    expect((await Coupon.findOne({ where: { code: 'ONCE' } }))!.used_count).to.equal(0);
    expect((await applyCode(buyer, 'ONCE')).status).to.equal(303);
  });

  it('holds a usage limit of 1 under 50 racing checkouts', async () => {
    const { shop, seller, password } = await makeShop(t, { name: 'Flash Sale' });
    const print = await makeProduct(t, shop, { title: 'Print', price: 4000, stock: null });
    const agent = await sellerAgent(t, seller.email, password);
    expect((await makeCoupon(agent, '/seller/coupons', { code: 'FIRST', usage_limit: '1', value: '50' })).status).to.equal(303);
    const buyers: Array<{ agent: supertest.Agent; form: Record<string, string> }> = [];
    for (let i = 0; i < 50; i += 10) {
      buyers.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, async () => {
            const b = t.agent();
            await addToCart(b, print.id, 1);
            const applied = await applyCode(b, 'FIRST');
            if (applied.status !== 303) throw new Error(`apply answered ${applied.status}`);
            return { agent: b, form: await checkoutForm(b) };
          }),
        )),
      );
    }
    const results = await Promise.all(buyers.map((b, i) => b.agent.post('/checkout').type('form').send({ ...b.form, ...ADDRESS, email: `racer${i}@example.test`, phone: '', gateway: 'manual' })));
    const counts = new Map<number, number>();
    for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(counts)).to.deep.equal({ 303: 1, 422: 49 });
    expect(results.find((r) => r.status === 422)!.text).to.include('FIRST');
    const { Coupon, CouponRedemption, Order } = shopModels();
    const coupon = (await Coupon.findOne({ where: { code: 'FIRST' } }))!;
    expect(coupon.used_count).to.equal(1);
    expect(await CouponRedemption.count({ where: { coupon_id: coupon.id } })).to.equal(1);
    expect(await Order.count({ where: { shop_id: shop.id } })).to.equal(1);
  });

  it('a platform coupon (admin) lowers what the buyer pays, not what the seller earns', async () => {
    const { shop } = await makeShop(t, { name: 'Paid In Full' });
    const lamp = await makeProduct(t, shop, { title: 'Lamp', price: 10000 });
    const admin = t.agent();
    await loginAsAdmin(admin);
    expect((await makeCoupon(admin, '/admin/coupons', { code: 'WELCOME', kind: 'fixed', value: '15.00', currency: 'EUR' })).status).to.equal(303);
    const { Coupon, Order } = shopModels();
    expect((await Coupon.findOne({ where: { code: 'WELCOME' } }))!.shop_id).to.equal(null);
    const buyer = t.agent();
    await addToCart(buyer, lamp.id, 1);
    expect((await applyCode(buyer, 'welcome')).status).to.equal(303);
    expect((await checkout(buyer)).status).to.equal(303);
    const order = (await Order.findOne({ where: { shop_id: shop.id } }))!;
    // 100.00 + 5.00 post − 15.00 paid by the platform; the fee is 5% of the full 100.00.
    expect([order.total, order.platform_discount, order.discount_total, order.platform_fee]).to.deep.equal([9000, 1500, 0, 500]);
    const { paymentRequestFor } = await import('../../../../plugins/shops/payments/payment-request');
    const { CheckoutGroup } = shopModels();
    const request = await paymentRequestFor((await CheckoutGroup.findByPk(order.group_id))!, { description: '', returnUrl: '', cancelUrl: '' });
    const share = request.orders[0];
    // What the seller is paid: the total, plus the platform's coupon, less the fee: as if there were no coupon.
    expect(share.total + share.platformDiscount - share.platformFee).to.equal(10000 + 500 - 500);
    const { lineItemsOf } = await import('../../../../plugins/stripe/gateway');
    const items = lineItemsOf(request);
    expect(items.reduce((s, i) => s + (i.price_data?.unit_amount ?? 0) * (i.quantity ?? 1), 0)).to.equal(request.amount);
  });
});

import { expect } from 'chai';
import { loginAsAdmin, login, startTestApp, type TestApp } from '../../../helpers/app';
import { log } from '../../../../core/log';
import type * as OrderPaymentsModule from '../../../../plugins/shops/services/order-payments';
import type * as PaymentsApi from '../../../../plugins/shops/payments';
import { addToCart, makeProduct, makeShop, pluginModule, postForm } from '../order-helpers';
import { shopModels } from '../shop-models';
import { SignedTestGateway, deliver, eventId, registerTestGateway, sign, testpayCheckout } from '../payments/test-gateway';
import { csrfFrom } from '../../../helpers/app';

describe('shops: payment webhooks', function () {
  this.timeout(60_000);
  let t: TestApp;
  const gateway = new SignedTestGateway();

  before(async () => {
    t = await startTestApp();
    registerTestGateway(t, gateway);
  });
  after(async () => t.close());

  it('offers the registered gateway at checkout', async () => {
    const { shop } = await makeShop(t);
    const p = await makeProduct(t, shop);
    const agent = t.agent();
    await addToCart(agent, p.id, 1);
    const page = await agent.get('/checkout');
    expect(page.text).to.include('value="testpay"').and.include('TestPay').and.include('value="manual"');
  });

  it('applies a payment event once, however often and however simultaneously it is delivered', async () => {
    const { group, orders } = await testpayCheckout(t);
    expect(group.payment_ref).to.equal(`tp_${group.id}`);
    const { Shop, Order, PaymentEvent, OrderStatusHistory, CheckoutGroup } = shopModels();
    const salesBefore = (await Shop.findByPk(orders[0].shop_id))!.sales_count;
    const event = { id: eventId('once'), type: 'payment_succeeded', groupId: group.id, amount: group.total, currency: 'EUR', providerRef: 'pi_once' };
    const first = await Promise.all([deliver(t, event), deliver(t, event), deliver(t, event)]);
    expect(first.map((r) => r.status)).to.deep.equal([200, 200, 200]);
    expect(first.filter((r) => (r.body as { duplicate: boolean }).duplicate)).to.have.length(2);
    const again = await deliver(t, event);
    expect(again.status).to.equal(200);
    expect((again.body as { duplicate: boolean }).duplicate).to.equal(true);

    const rows = await PaymentEvent.findAll({ where: { gateway: 'testpay', event_id: event.id } });
    expect(rows.map((e) => [e.action, e.amount, e.currency, e.provider_ref, e.group_id])).to.deep.equal([['paid', group.total, 'EUR', 'pi_once', group.id]]);
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('paid');
    expect(await OrderStatusHistory.count({ where: { order_id: orders[0].id, to_status: 'paid' } })).to.equal(1);
    expect((await Shop.findByPk(orders[0].shop_id))!.sales_count).to.equal(salesBefore + 1);
    expect((await CheckoutGroup.findByPk(group.id))!.status).to.equal('paid');
  });

  it('refuses a bad signature, an unknown gateway, a gateway without webhooks and a malformed outcome', async () => {
    const { group, orders } = await testpayCheckout(t);
    const event = { id: eventId('bad'), type: 'payment_succeeded', groupId: group.id, amount: group.total, currency: 'EUR', providerRef: 'pi_bad' };
    const body = JSON.stringify(event);
    expect((await deliver(t, body, sign('something else'))).status).to.equal(400);
    expect((await t.agent().post('/payments/nope/webhook').set('Content-Type', 'application/json').send(body)).status).to.equal(404);
    // The manual gateway has no webhook.
    expect((await t.agent().post('/payments/manual/webhook').set('Content-Type', 'application/json').send(body)).status).to.equal(404);
    // Signed, but the outcome is not one the plugin knows, or its amount is not money.
    expect((await deliver(t, { ...event, type: 'payment_maybe' })).status).to.equal(400);
    expect((await deliver(t, { ...event, amount: '30.00' })).status).to.equal(400);
    expect((await deliver(t, { ...event, currency: undefined })).status).to.equal(400);
    expect((await deliver(t, { ...event, groupId: undefined })).status, 'a payment about nothing').to.equal(400);
    const { Order, PaymentEvent } = shopModels();
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('pending');
    expect(await PaymentEvent.count({ where: { event_id: event.id } })).to.equal(0);
  });

  it('puts a group paid with another amount in review, never paid, and shows it to the admin and the seller', async () => {
    const { group, orders, shops } = await testpayCheckout(t);
    const res = await deliver(t, { id: eventId('short'), type: 'payment_succeeded', groupId: group.id, amount: group.total - 1, currency: 'EUR', providerRef: 'pi_short' });
    expect(res.status).to.equal(200);
    const { Order, CheckoutGroup, OrderStatusHistory } = shopModels();
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('pending');
    expect(await OrderStatusHistory.count({ where: { order_id: orders[0].id, to_status: 'paid' } })).to.equal(0);
    const fresh = (await CheckoutGroup.findByPk(group.id))!;
    expect(fresh.status).to.equal('needs_review');
    expect(fresh.review_reason).to.match(/reported €34\.99.*total is €35\.00|reported .*34[.,]99/);
    // A correct event afterwards does not slip it through: the admin decides.
    await deliver(t, { id: eventId('retry'), type: 'payment_succeeded', groupId: group.id, amount: group.total, currency: 'EUR', providerRef: 'pi_short' });
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('pending');
    // The expiry sweep leaves it alone, however old.
    const payments = await pluginModule<typeof OrderPaymentsModule>('services/order-payments.ts');
    const ctx = { hooks: t.platform.hooks, sequelize: t.platform.sequelize, log };
    await payments.expirePending(ctx, -1, group.id);
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('pending');

    const admin = t.agent();
    await loginAsAdmin(admin);
    const dashboard = await admin.get('/admin');
    expect(dashboard.text).to.include('payment-review-widget').and.include(group.reference);
    const review = await admin.get('/admin/payments/review');
    expect(review.status).to.equal(200);
    expect(review.text).to.include(`Checkout ${group.reference}`).and.include(orders[0].number).and.include('checkout total is');

    const seller = t.agent();
    await login(seller, shops[0].seller.email, shops[0].password);
    const page = await seller.get(`/seller/orders/${encodeURIComponent(orders[0].number)}`);
    expect(page.text).to.include('Payment under review').and.include('checkout total is');

    // The admin accepts the payment: the orders are paid, once.
    const token = csrfFrom(review.text);
    const bad = await admin.post(`/admin/payments/review/${group.reference}`).type('form').send({ _csrf: token, decision: 'maybe' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('Choose to accept the payment or cancel the orders');
    const ok = await admin.post(`/admin/payments/review/${group.reference}`).type('form').send({ _csrf: token, decision: 'accept', note: 'Fee taken by the bank' });
    expect(ok.status).to.equal(303);
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('paid');
    expect((await CheckoutGroup.findByPk(group.id))!.status).to.equal('paid');
    const twice = await admin.post(`/admin/payments/review/${group.reference}`).type('form').send({ _csrf: token, decision: 'cancel' });
    expect(twice.status).to.equal(409);
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('paid');
  });

  it('puts a group paid in another currency in review, never paid; the admin may cancel it', async () => {
    const { group, orders } = await testpayCheckout(t);
    await deliver(t, { id: eventId('usd'), type: 'payment_succeeded', groupId: group.id, amount: group.total, currency: 'USD', providerRef: 'pi_usd' });
    const { Order, CheckoutGroup, Product, OrderItem } = shopModels();
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('pending');
    const fresh = (await CheckoutGroup.findByPk(group.id))!;
    expect([fresh.status, fresh.review_reason]).to.deep.equal(['needs_review', 'The provider reported a payment in USD; the checkout is in EUR']);
    const admin = t.agent();
    await loginAsAdmin(admin);
    expect((await admin.get('/admin/payments/review')).text).to.include('payment in USD');
    const res = await postForm(admin, `/admin/payments/review/${group.reference}`, { decision: 'cancel' });
    expect(res.status).to.equal(303);
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('cancelled');
    expect((await CheckoutGroup.findByPk(group.id))!.status).to.equal('cancelled');
    const item = (await OrderItem.findOne({ where: { order_id: orders[0].id } }))!;
    expect((await Product.findByPk(item.product_id!))!.stock, 'the stock went back').to.equal(5);
  });

  it('puts a payment that arrives after the orders expired in review', async () => {
    const { group, orders } = await testpayCheckout(t);
    await deliver(t, { id: eventId('exp'), type: 'payment_expired', groupId: group.id, amount: group.total, currency: 'EUR', providerRef: 'pi_exp' });
    const { Order, CheckoutGroup } = shopModels();
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('expired');
    await deliver(t, { id: eventId('late'), type: 'payment_succeeded', groupId: group.id, amount: group.total, currency: 'EUR', providerRef: 'pi_exp' });
    const fresh = (await CheckoutGroup.findByPk(group.id))!;
    expect(fresh.status).to.equal('needs_review');
    expect(fresh.review_reason).to.include('after the checkout was expired');
  });

  it('cancels the orders of a failed payment and gives the stock back', async () => {
    const { group, orders } = await testpayCheckout(t);
    const { Order, OrderItem, Product } = shopModels();
    const item = (await OrderItem.findOne({ where: { order_id: orders[0].id } }))!;
    expect((await Product.findByPk(item.product_id!))!.stock).to.equal(4);
    expect((await deliver(t, { id: eventId('fail'), type: 'payment_failed', groupId: group.id, amount: group.total, currency: 'EUR', providerRef: 'pi_fail' })).status).to.equal(200);
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('cancelled');
    expect((await Product.findByPk(item.product_id!))!.stock).to.equal(5);
  });

  it("records the provider's word on a shop's payout account", async () => {
    const { shop } = await makeShop(t);
    const { Shop } = shopModels();
    // The provider's plugin links the account when the seller finishes onboarding, through shops' payments API.
    const api = await pluginModule<typeof PaymentsApi>('payments/index.ts');
    expect(await api.setPayoutAccount(shop.id, 'acct_123')).to.equal(true);
    expect(await api.payoutAccountOf(shop.id)).to.deep.equal({ account: 'acct_123', enabled: false });
    await deliver(t, { id: eventId('acct'), type: 'payout_account_updated', providerRef: 'acct_123', enabled: true });
    expect((await Shop.findByPk(shop.id))!.payout_enabled).to.equal(true);
    await deliver(t, { id: eventId('acct'), type: 'payout_account_updated', providerRef: 'acct_123', enabled: false });
    expect((await Shop.findByPk(shop.id))!.payout_enabled).to.equal(false);
  });
});

import crypto from 'node:crypto';
import { expect } from 'chai';
import type { Request } from 'express';
import { startTestApp, type TestApp } from '../../../helpers/app';
import { log } from '../../../../core/log';
import type { PaymentGateway, PaymentRequest, PaymentStart, PaymentStatus, RefundRequest, RefundResult, WebhookOutcome } from '../../../../plugins/shops/payments/gateway';
import type * as OrderPaymentsModule from '../../../../plugins/shops/services/order-payments';
import { addToCart, checkout, makeProduct, makeShop, pluginModule } from '../order-helpers';
import { shopModels } from '../shop-models';

const SECRET = 'whsec_test_secret';

/**
 * A small but real payment provider for the test: payments are redirects to its page, its webhooks are
 * JSON signed with an HMAC of the raw body, and it keeps the refunds it made by idempotency key.
 */
class SignedTestGateway implements PaymentGateway {
  readonly id = 'testpay';
  readonly title = 'TestPay';
  readonly description = 'A provider that lives inside the test.';
  readonly refunds = new Map<string, number>();

  isAvailable(currency: string): boolean {
    return currency === 'EUR';
  }

  async createPayment(request: PaymentRequest): Promise<PaymentStart> {
    return { kind: 'redirect', url: `https://testpay.invalid/pay/${request.reference}?amount=${request.amount}`, paymentRef: `tp_${request.groupId}` };
  }

  async paymentStatus(): Promise<PaymentStatus> {
    return 'pending';
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    if (!this.refunds.has(request.idempotencyKey)) this.refunds.set(request.idempotencyKey, request.amount);
    return { refundRef: `re_${request.idempotencyKey}`, status: 'succeeded' };
  }

  async parseWebhook(req: Request, rawBody: Buffer): Promise<WebhookOutcome> {
    const expected = crypto.createHmac('sha256', SECRET).update(rawBody).digest('hex');
    const given = String(req.headers['x-testpay-signature'] ?? '');
    if (given.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected))) throw new Error('bad signature');
    const event = JSON.parse(rawBody.toString('utf8')) as { id: string; type: string; group: number; amount: number };
    const action = event.type === 'payment.succeeded' ? 'paid' : event.type === 'payment.failed' ? 'failed' : 'ignore';
    return { eventId: event.id, action, groupId: event.group, amount: event.amount };
  }
}

function sign(body: string): string {
  return crypto.createHmac('sha256', SECRET).update(body).digest('hex');
}

describe('shops: payment webhooks', function () {
  this.timeout(60_000);
  let t: TestApp;
  const gateway = new SignedTestGateway();

  /** A checkout paid with TestPay: the buyer is sent to the provider, the orders wait for its webhook. */
  async function testpayCheckout() {
    const { shop } = await makeShop(t);
    const p = await makeProduct(t, shop, { price: 3000, stock: 5 });
    const agent = t.agent();
    await addToCart(agent, p.id, 1);
    const res = await checkout(agent, { gateway: 'testpay' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.match(/^https:\/\/testpay\.invalid\/pay\/AG-/);
    const { CheckoutGroup, Order } = shopModels();
    const group = (await CheckoutGroup.findOne({ order: [['id', 'DESC']] }))!;
    return { group, orders: await Order.findAll({ where: { group_id: group.id } }) };
  }

  function deliver(body: string, signature = sign(body)) {
    // A webhook carries no session cookie and no CSRF token; its body is read raw for the signature.
    return t.agent().post('/payments/testpay/webhook').set('Content-Type', 'application/json').set('X-TestPay-Signature', signature).send(body);
  }

  before(async () => {
    t = await startTestApp();
    t.platform.hooks.filter('test', 'shops.payment.gateways', (list) => [...list, gateway]);
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
    const { group, orders } = await testpayCheckout();
    expect(group.payment_ref).to.equal(`tp_${group.id}`);
    const { Shop, Order, PaymentEvent, OrderStatusHistory, CheckoutGroup } = shopModels();
    const salesBefore = (await Shop.findByPk(orders[0].shop_id))!.sales_count;
    const body = JSON.stringify({ id: `evt_${group.id}_1`, type: 'payment.succeeded', group: group.id, amount: group.total });
    const first = await Promise.all([deliver(body), deliver(body), deliver(body)]);
    expect(first.map((r) => r.status)).to.deep.equal([200, 200, 200]);
    expect(first.filter((r) => (r.body as { duplicate: boolean }).duplicate)).to.have.length(2);
    const again = await deliver(body);
    expect(again.status).to.equal(200);
    expect((again.body as { duplicate: boolean }).duplicate).to.equal(true);

    expect(await PaymentEvent.count({ where: { gateway: 'testpay', event_id: `evt_${group.id}_1` } })).to.equal(1);
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('paid');
    expect(await OrderStatusHistory.count({ where: { order_id: orders[0].id, to_status: 'paid' } })).to.equal(1);
    expect((await Shop.findByPk(orders[0].shop_id))!.sales_count).to.equal(salesBefore + 1);
    expect((await CheckoutGroup.findByPk(group.id))!.status).to.equal('paid');
  });

  it('refuses a bad signature and an unknown gateway, and leaves a wrong amount unpaid', async () => {
    const { group, orders } = await testpayCheckout();
    const body = JSON.stringify({ id: `evt_${group.id}_bad`, type: 'payment.succeeded', group: group.id, amount: group.total });
    expect((await deliver(body, sign('something else'))).status).to.equal(400);
    expect((await t.agent().post('/payments/nope/webhook').set('Content-Type', 'application/json').send(body)).status).to.equal(404);
    // The manual gateway has no webhook.
    expect((await t.agent().post('/payments/manual/webhook').set('Content-Type', 'application/json').send(body)).status).to.equal(404);
    const short = JSON.stringify({ id: `evt_${group.id}_short`, type: 'payment.succeeded', group: group.id, amount: group.total - 1 });
    expect((await deliver(short)).status).to.equal(200);
    const { Order, PaymentEvent } = shopModels();
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('pending');
    expect(await PaymentEvent.count({ where: { event_id: `evt_${group.id}_bad` } })).to.equal(0);
  });

  it('cancels the orders of a failed payment and gives the stock back', async () => {
    const { group, orders } = await testpayCheckout();
    const { Order, OrderItem, Product } = shopModels();
    const item = (await OrderItem.findOne({ where: { order_id: orders[0].id } }))!;
    expect((await Product.findByPk(item.product_id!))!.stock).to.equal(4);
    const body = JSON.stringify({ id: `evt_${group.id}_fail`, type: 'payment.failed', group: group.id, amount: group.total });
    expect((await deliver(body)).status).to.equal(200);
    expect((await Order.findByPk(orders[0].id))!.status).to.equal('cancelled');
    expect((await Product.findByPk(item.product_id!))!.stock).to.equal(5);
  });

  it('refunds through the gateway with an idempotency key, once even when asked twice at the same moment', async () => {
    const { group, orders } = await testpayCheckout();
    await deliver(JSON.stringify({ id: `evt_${group.id}_paid`, type: 'payment.succeeded', group: group.id, amount: group.total }));
    const payments = await pluginModule<typeof OrderPaymentsModule>('services/order-payments.ts');
    const ctx = { hooks: t.platform.hooks, sequelize: t.platform.sequelize, log };
    const { Order, Refund } = shopModels();
    const order = (await Order.findByPk(orders[0].id))!;
    const input = { amount: 1000, idempotencyKey: `key-${group.id}-0123456789`, reason: 'Late', actorId: null };
    const results = await Promise.all([payments.refundOrder(ctx, order, input), payments.refundOrder(ctx, (await Order.findByPk(order.id))!, input)]);
    expect(results.map((r) => r.repeated).sort()).to.deep.equal([false, true]);
    expect(await Refund.count({ where: { order_id: order.id } })).to.equal(1);
    const fresh = (await Order.findByPk(order.id))!;
    expect([fresh.status, fresh.refunded_total]).to.deep.equal(['partially_refunded', 1000]);
    expect(gateway.refunds.get(input.idempotencyKey)).to.equal(1000);
    expect((await Refund.findOne({ where: { order_id: order.id } }))!.provider_ref).to.equal(`re_${input.idempotencyKey}`);
  });
});

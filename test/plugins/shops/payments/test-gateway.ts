import crypto from 'node:crypto';
import { expect } from 'chai';
import type { TestApp } from '../../../helpers/app';
import type { PaymentGateway, PaymentRequest, PaymentStart, PaymentStatus, RefundRequest, RefundResult, WebhookInput, WebhookOutcome } from '../../../../plugins/shops/payments/gateway';
import { addToCart, checkout, makeProduct, makeShop } from '../order-helpers';
import { shopModels } from '../shop-models';
import type { Shop } from '../../../../plugins/shops/models/shop';

export const SECRET = 'whsec_test_secret';

/** An event as TestPay sends it: its id, and the outcome it describes (without the id). */
export type TestEvent = { id: string } & Record<string, unknown>;

/**
 * A small but real payment provider for the tests: payments are redirects to its page, its webhooks are
 * JSON signed with an HMAC of the raw body, and it keeps what it was asked. Its refunds answer as
 * `refundMode` says (`throw` is a provider that cannot be reached).
 */
export class SignedTestGateway implements PaymentGateway {
  readonly id = 'testpay';
  readonly title = 'TestPay';
  readonly description = 'A provider that lives inside the test.';
  readonly payments: PaymentRequest[] = [];
  readonly refunds: RefundRequest[] = [];
  refundMode: 'succeeded' | 'pending' | 'failed' | 'throw' = 'succeeded';
  refundDelayMs = 0;

  isAvailable(currency: string): boolean {
    return currency === 'EUR';
  }

  async createPayment(request: PaymentRequest): Promise<PaymentStart> {
    this.payments.push(request);
    return { kind: 'redirect', url: `https://testpay.invalid/pay/${request.reference}?amount=${request.amount}`, paymentRef: `tp_${request.groupId}` };
  }

  async paymentStatus(): Promise<PaymentStatus> {
    return 'pending';
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    this.refunds.push(request);
    if (this.refundDelayMs) await new Promise((resolve) => setTimeout(resolve, this.refundDelayMs));
    if (this.refundMode === 'throw') throw new Error('connect ECONNREFUSED testpay.invalid');
    if (this.refundMode === 'failed') return { refundRef: `re_${request.idempotencyKey}`, status: 'failed', failure: 'the card was closed' };
    return { refundRef: `re_${request.idempotencyKey}`, status: this.refundMode };
  }

  async parseWebhook({ rawBody, headers }: WebhookInput): Promise<WebhookOutcome> {
    const expected = crypto.createHmac('sha256', SECRET).update(rawBody).digest('hex');
    const given = String(headers['x-testpay-signature'] ?? '');
    if (given.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected))) throw new Error('bad signature');
    const { id, ...rest } = JSON.parse(rawBody.toString('utf8')) as TestEvent;
    return { eventId: id, ...rest } as WebhookOutcome;
  }

  callsFor(key: string): number {
    return this.refunds.filter((r) => r.idempotencyKey === key).length;
  }
}

export function sign(body: string): string {
  return crypto.createHmac('sha256', SECRET).update(body).digest('hex');
}

/** Posts a webhook as TestPay would: no session cookie, no CSRF token, the raw body signed. */
export function deliver(t: TestApp, event: TestEvent | string, signature?: string) {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  return t.agent().post('/payments/testpay/webhook').set('Content-Type', 'application/json').set('X-TestPay-Signature', signature ?? sign(body)).send(body);
}

/** Registers the gateway on the running app (as the stripe plugin would, through the filter). */
export function registerTestGateway(t: TestApp, gateway: SignedTestGateway): void {
  t.platform.hooks.filter('test', 'shops.payment.gateways', (list) => [...list, gateway]);
}

let eventSeq = 0;
export const eventId = (label: string) => `evt_${label}_${++eventSeq}_${Date.now() % 100000}`;

/**
 * A checkout paid with TestPay from `shops` shops (one product each, 30.00 and 12.00 + 5.00 shipping
 * each): the buyer is sent to the provider, the orders wait for its webhook.
 */
export async function testpayCheckout(t: TestApp, shops = 1, prices = [3000, 1200], beforeCheckout?: (made: Array<{ shop: Shop }>) => Promise<void>) {
  const agent = t.agent();
  const made = [];
  for (let i = 0; i < shops; i++) {
    const { shop, seller, password } = await makeShop(t);
    const product = await makeProduct(t, shop, { price: prices[i] ?? 1000, stock: 5 });
    await addToCart(agent, product.id, 1);
    made.push({ shop, seller, password, product });
  }
  await beforeCheckout?.(made);
  const res = await checkout(agent, { gateway: 'testpay' });
  expect(res.status, res.text).to.equal(303);
  expect(res.headers.location).to.match(/^https:\/\/testpay\.invalid\/pay\/AG-/);
  const { CheckoutGroup, Order } = shopModels();
  const group = (await CheckoutGroup.findOne({ order: [['id', 'DESC']] }))!;
  const orders = await Order.findAll({ where: { group_id: group.id }, order: [['id', 'ASC']] });
  return { group, orders, shops: made };
}

/** The same, with the payment confirmed by a webhook. */
export async function paidTestpayCheckout(t: TestApp, shops = 1) {
  const made = await testpayCheckout(t, shops);
  const { group } = made;
  const res = await deliver(t, { id: eventId('paid'), type: 'payment_succeeded', groupId: group.id, amount: group.total, currency: 'EUR', providerRef: `pi_${group.id}` });
  expect(res.status).to.equal(200);
  const { Order } = shopModels();
  const orders = await Order.findAll({ where: { group_id: group.id }, order: [['id', 'ASC']] });
  expect(orders.map((o) => o.status)).to.deep.equal(orders.map(() => 'paid'));
  return { ...made, orders };
}

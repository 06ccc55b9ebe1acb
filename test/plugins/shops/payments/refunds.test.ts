import { expect } from 'chai';
import { csrfFrom, login, startTestApp, type TestApp } from '../../../helpers/app';
import { log } from '../../../../core/log';
import type * as OrderPaymentsModule from '../../../../plugins/shops/services/order-payments';
import type { Order } from '../../../../plugins/shops/models/order';
import type * as PaymentRequestModule from '../../../../plugins/shops/payments/payment-request';
import { pluginModule } from '../order-helpers';
import { shopModels } from '../shop-models';
import { SignedTestGateway, deliver, eventId, paidTestpayCheckout, registerTestGateway, testpayCheckout } from './test-gateway';

describe('shops: refunds in two phases', function () {
  this.timeout(60_000);
  let t: TestApp;
  let payments: typeof OrderPaymentsModule;
  const gateway = new SignedTestGateway();
  const ctx = () => ({ hooks: t.platform.hooks, sequelize: t.platform.sequelize, log });
  let keySeq = 0;
  const key = () => `refund-key-${++keySeq}-${Date.now()}`;
  const fresh = async (order: Order) => (await shopModels().Order.findByPk(order.id))!;

  before(async () => {
    t = await startTestApp();
    registerTestGateway(t, gateway);
    payments = await pluginModule<typeof OrderPaymentsModule>('services/order-payments.ts');
  });
  afterEach(() => {
    gateway.refundMode = 'succeeded';
    gateway.refundDelayMs = 0;
  });
  after(async () => t.close());

  it('makes one refund of concurrent requests with the same key, calling the provider once', async () => {
    const { orders } = await paidTestpayCheckout(t);
    gateway.refundDelayMs = 150; // the provider is slow: the second request arrives while the first waits on it
    const input = { amount: 1000, idempotencyKey: key(), reason: 'Late', actorId: null };
    const results = await Promise.all([1, 2, 3].map(async () => payments.refundOrder(ctx(), await fresh(orders[0]), input)));
    expect(results.map((r) => r.repeated).sort()).to.deep.equal([false, true, true]);
    expect(gateway.callsFor(input.idempotencyKey)).to.equal(1);
    const { Refund } = shopModels();
    const rows = await Refund.findAll({ where: { order_id: orders[0].id } });
    expect(rows.map((r) => [r.status, r.amount, r.provider_ref])).to.deep.equal([['succeeded', 1000, `re_${input.idempotencyKey}`]]);
    const order = await fresh(orders[0]);
    expect([order.status, order.refunded_total]).to.deep.equal(['paid', 1000]);
  });

  it('counts refunds on their way against what is left, so two keys cannot refund more than the order', async () => {
    const { orders } = await paidTestpayCheckout(t);
    const order = await fresh(orders[0]); // 30.00 + 5.00 shipping
    gateway.refundMode = 'pending';
    const first = await payments.refundOrder(ctx(), order, { amount: 3000, idempotencyKey: key(), reason: '', actorId: null });
    expect(first.refund.status).to.equal('pending');
    let refused: unknown;
    try {
      await payments.refundOrder(ctx(), await fresh(order), { amount: 1000, idempotencyKey: key(), reason: '', actorId: null });
    } catch (error) {
      refused = error;
    }
    expect(refused).to.be.instanceOf(payments.RefundProblem);
    expect((refused as Error).message).to.include('€5.00');
  });

  it('leaves the refund failed and the order unchanged when the provider cannot be reached or says no', async () => {
    const { orders } = await paidTestpayCheckout(t);
    const { Refund, OrderStatusHistory } = shopModels();
    const historyBefore = await OrderStatusHistory.count({ where: { order_id: orders[0].id } });
    for (const mode of ['throw', 'failed'] as const) {
      gateway.refundMode = mode;
      const k = key();
      let problem: unknown;
      try {
        await payments.refundOrder(ctx(), await fresh(orders[0]), { amount: 500, idempotencyKey: k, reason: 'Broken', actorId: null });
      } catch (error) {
        problem = error;
      }
      expect(problem, mode).to.be.instanceOf(payments.RefundProblem);
      const row = (await Refund.findOne({ where: { idempotency_key: k } }))!;
      expect(row.status, mode).to.equal('failed');
      expect(row.failure, mode).to.match(mode === 'throw' ? /ECONNREFUSED/ : /card was closed/);
    }
    const order = await fresh(orders[0]);
    expect([order.status, order.refunded_total]).to.deep.equal(['paid', 0]);
    expect(await OrderStatusHistory.count({ where: { order_id: orders[0].id } })).to.equal(historyBefore);
    // The whole amount is still refundable.
    gateway.refundMode = 'succeeded';
    const ok = await payments.refundOrder(ctx(), order, { amount: order.total, idempotencyKey: key(), reason: '', actorId: null });
    expect(ok.refund.status).to.equal('succeeded');
    expect((await fresh(order)).status).to.equal('cancelled');
  });

  it("settles a pending refund with the provider's webhook, for the amount the provider refunded, once", async () => {
    const { group, orders } = await paidTestpayCheckout(t);
    gateway.refundMode = 'pending';
    const k = key();
    const { refund } = await payments.refundOrder(ctx(), await fresh(orders[0]), { amount: 2000, idempotencyKey: k, reason: 'Damaged', actorId: null });
    expect(refund.status).to.equal('pending');
    expect((await fresh(orders[0])).refunded_total, 'nothing refunded until the provider says so').to.equal(0);
    // The provider refunded less than asked (say, it kept its fee): the order records what it says.
    const event = { id: eventId('re'), type: 'refund_settled', status: 'succeeded', groupId: group.id, orderId: orders[0].id, amount: 1800, currency: 'EUR', providerRef: `re_${k}`, idempotencyKey: k };
    expect((await deliver(t, event)).status).to.equal(200);
    expect((await deliver(t, event)).body).to.deep.include({ duplicate: true });
    const { Refund } = shopModels();
    const row = (await Refund.findByPk(refund.id))!;
    expect([row.status, row.amount]).to.deep.equal(['succeeded', 1800]);
    const order = await fresh(orders[0]);
    expect([order.status, order.refunded_total]).to.deep.equal(['paid', 1800]);
    // A second event for the same refund (another id) changes nothing more.
    await deliver(t, { ...event, id: eventId('re-again') });
    expect((await fresh(orders[0])).refunded_total).to.equal(1800);
  });

  it('refunds what the provider says per order for a refund made at its end, not every order in full', async () => {
    const { group, orders } = await paidTestpayCheckout(t, 2);
    const [a, b] = orders; // 35.00 and 17.00
    // Named order: only that order, only that amount.
    await deliver(t, { id: eventId('dash'), type: 'refund_settled', status: 'succeeded', groupId: group.id, orderId: b.id, amount: 700, currency: 'EUR', providerRef: 're_dash_1' });
    expect([(await fresh(a)).refunded_total, (await fresh(b)).refunded_total]).to.deep.equal([0, 700]);
    expect([(await fresh(a)).status, (await fresh(b)).status]).to.deep.equal(['paid', 'paid']);
    // Only the group: spread over the orders in order, each up to what it has left.
    await deliver(t, { id: eventId('dash'), type: 'refund_settled', status: 'succeeded', groupId: group.id, amount: a.total + 300, currency: 'EUR', providerRef: 're_dash_2' });
    const [fa, fb] = [await fresh(a), await fresh(b)];
    expect([fa.status, fa.refunded_total]).to.deep.equal(['cancelled', a.total]);
    expect([fb.status, fb.refunded_total]).to.deep.equal(['paid', 1000]);
    const { Refund } = shopModels();
    const rows = await Refund.findAll({ where: { order_id: [a.id, b.id] }, order: [['id', 'ASC']] });
    expect(rows.map((r) => [r.order_id, r.amount, r.status])).to.deep.equal([
      [b.id, 700, 'succeeded'],
      [a.id, a.total, 'succeeded'],
      [b.id, 300, 'succeeded'],
    ]);
    // An order of another checkout named with this group: about nothing we know, nothing refunded.
    const other = await paidTestpayCheckout(t);
    await deliver(t, { id: eventId('dash'), type: 'refund_settled', status: 'succeeded', groupId: group.id, orderId: other.orders[0].id, amount: 100, currency: 'EUR', providerRef: 're_dash_x' });
    expect([(await fresh(b)).refunded_total, (await fresh(other.orders[0])).refunded_total]).to.deep.equal([1000, 0]);
    // A refund in another currency is not applied.
    await deliver(t, { id: eventId('dash'), type: 'refund_settled', status: 'succeeded', groupId: group.id, orderId: b.id, amount: 100, currency: 'USD', providerRef: 're_dash_3' });
    expect((await fresh(b)).refunded_total).to.equal(1000);
  });

  it("answers the seller's refund form with the provider's refusal on the page (422), and a pending refund with its status", async () => {
    const { orders, shops } = await paidTestpayCheckout(t);
    const seller = t.agent();
    await login(seller, shops[0].seller.email, shops[0].password);
    const url = `/seller/orders/${encodeURIComponent(orders[0].number)}`;
    const post = async (fields: Record<string, string>) => {
      const page = await seller.get(url);
      const refundKey = /name="idempotency_key" value="([^"]+)"/.exec(page.text)![1];
      return seller.post(`${url}/refund`).type('form').send({ _csrf: csrfFrom(page.text), idempotency_key: refundKey, reason: '', ...fields });
    };
    gateway.refundMode = 'failed';
    const refused = await post({ amount: '5.00' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('TestPay refused the refund; nothing was refunded.').and.include('card was closed');
    expect((await fresh(orders[0])).refunded_total).to.equal(0);
    gateway.refundMode = 'pending';
    const asked = await post({ amount: '5.00' });
    expect(asked.status).to.equal(303);
    const page = await seller.get(url);
    expect(page.text).to.include('asked; it is recorded when the provider confirms it').and.include('waiting for the provider').and.include('failed, nothing refunded');
    // €35.00 less the €5.00 on its way.
    expect(page.text).to.include('Up to €30.00');
  });

  it('derives the payment idempotency key from group and attempt: stable for one attempt, new for the next', async () => {
    const { group } = await paidTestpayCheckout(t);
    const sent = gateway.payments.find((p) => p.groupId === group.id)!;
    expect([sent.attempt, sent.idempotencyKey]).to.deep.equal([1, `agora-${group.reference}-attempt-1`]);
    const { paymentRequestFor } = await pluginModule<typeof PaymentRequestModule>('payments/payment-request.ts');
    const urls = { description: 'x', returnUrl: 'http://agora.test/r', cancelUrl: 'http://agora.test/c' };
    const { CheckoutGroup } = shopModels();
    expect((await paymentRequestFor((await CheckoutGroup.findByPk(group.id))!, urls)).idempotencyKey).to.equal(sent.idempotencyKey);
    expect(await payments.nextAttempt(group.id)).to.equal(2);
    const next = await paymentRequestFor((await CheckoutGroup.findByPk(group.id))!, urls);
    expect(next.attempt).to.equal(2);
    expect(next.idempotencyKey).to.equal(`agora-${group.reference}-attempt-2`).and.not.equal(sent.idempotencyKey);
  });

  it('tells the provider each order of the group: shop, lines, shipping, fee and payout account', async () => {
    const { Shop } = shopModels();
    // The second shop has connected its payout account at the provider; the first has not.
    const { group, orders, shops } = await testpayCheckout(t, 2, [3000, 1200], async (made) => {
      await Shop.update({ payout_account: 'acct_second' }, { where: { id: made[1].shop.id } });
    });
    const sent = gateway.payments.find((p) => p.groupId === group.id)!;
    expect(sent.amount).to.equal(group.total);
    expect(sent.orders.map((o) => [o.orderId, o.number, o.shopId, o.shopName, o.subtotal, o.shipping, o.total])).to.deep.equal(
      orders.map((o, i) => [o.id, o.number, shops[i].shop.id, shops[i].shop.name, o.subtotal, o.shipping_total, o.total]),
    );
    expect(sent.orders.map((o) => o.platformFee)).to.deep.equal(orders.map((o) => o.platform_fee));
    expect(sent.orders[0].lines).to.deep.equal([{ productId: shops[0].product.id, title: shops[0].product.title, quantity: 1, unitPrice: 3000, lineTotal: 3000 }]);
    expect(sent.orders.map((o) => o.payoutAccount)).to.deep.equal([null, 'acct_second']);
  });
});

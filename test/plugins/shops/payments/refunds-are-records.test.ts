import { expect } from 'chai';
import { csrfFrom, login, startTestApp, type TestApp } from '../../../helpers/app';
import { log } from '../../../../core/log';
import type * as OrderPaymentsModule from '../../../../plugins/shops/services/order-payments';
import type * as OrderLinksModule from '../../../../plugins/shops/services/order-links';
import type * as MigrationModule from '../../../../plugins/shops/migrations/0005-refunds-are-records';
import type { Order } from '../../../../plugins/shops/models/order';
import { pluginModule } from '../order-helpers';
import { shopModels } from '../shop-models';
import { SignedTestGateway, deliver, eventId, paidTestpayCheckout, registerTestGateway } from './test-gateway';

describe('shops: a refund is a record on the order, not a state of it', function () {
  this.timeout(90_000);
  let t: TestApp;
  let payments: typeof OrderPaymentsModule;
  let links: typeof OrderLinksModule;
  const gateway = new SignedTestGateway();
  const ctx = () => ({ hooks: t.platform.hooks, sequelize: t.platform.sequelize, log });
  let keySeq = 0;
  const key = () => `records-key-${++keySeq}-${Date.now()}`;
  const fresh = async (order: Order) => (await shopModels().Order.findByPk(order.id))!;

  before(async () => {
    t = await startTestApp({ smtp: true });
    registerTestGateway(t, gateway);
    payments = await pluginModule<typeof OrderPaymentsModule>('services/order-payments.ts');
    links = await pluginModule<typeof OrderLinksModule>('services/order-links.ts');
  });
  afterEach(() => {
    gateway.refundMode = 'succeeded';
  });
  after(async () => t.close());

  async function sellerOf(made: Awaited<ReturnType<typeof paidTestpayCheckout>>) {
    const seller = t.agent();
    await login(seller, made.shops[0].seller.email, made.shops[0].password);
    const url = `/seller/orders/${encodeURIComponent(made.orders[0].number)}`;
    const move = async (to: string) => {
      const page = await seller.get(url);
      return seller.post(`${url}/status`).type('form').send({ _csrf: csrfFrom(page.text), to, tracking_number: '', note: '' });
    };
    return { seller, url, move };
  }

  it('keeps a shipped order shipped after a partial refund, shows "€19.90 refunded", and can still be completed', async () => {
    const made = await paidTestpayCheckout(t); // 30.00 + 5.00 shipping
    const { seller, url, move } = await sellerOf(made);
    expect((await move('shipped')).status).to.equal(303);
    await payments.refundOrder(ctx(), await fresh(made.orders[0]), { amount: 1990, idempotencyKey: key(), reason: 'One sleeve shorter', actorId: made.shops[0].seller.id });
    const order = await fresh(made.orders[0]);
    expect([order.status, order.refunded_total]).to.deep.equal(['shipped', 1990]);

    const page = await seller.get(url);
    expect(page.text).to.include('>Shipped<').and.include('€19.90 refunded').and.include('Mark completed');
    // The buyer's page says the same.
    const buyerPage = await t.agent().get(links.groupPath(t.platform.config.sessionSecret, made.group.reference));
    expect(buyerPage.status).to.equal(200);
    expect(buyerPage.text).to.include('>Shipped<').and.include('€19.90 refunded');
    // The history records the refund without a change of status.
    const { OrderStatusHistory } = shopModels();
    const last = (await OrderStatusHistory.findOne({ where: { order_id: order.id }, order: [['id', 'DESC']] }))!;
    expect([last.from_status, last.to_status, last.note]).to.deep.equal(['shipped', 'shipped', 'Refunded €19.90: One sleeve shorter']);
    // The buyer is told by email.
    await t.platform.jobs.idle();
    const mail = await t.smtp!.waitFor(order.email, new RegExp(`Order ${order.number}: €19.90 refunded`));
    expect(mail.text).to.include('One sleeve shorter').and.include('€19.90 of €35.00');

    expect((await move('completed')).status).to.equal(303);
    expect((await fresh(order)).status).to.equal('completed');
  });

  it('keeps a shipped order shipped after a full refund; a full refund of an unshipped order cancels it and restocks', async () => {
    const shipped = await paidTestpayCheckout(t);
    expect((await (await sellerOf(shipped)).move('shipped')).status).to.equal(303);
    await payments.refundOrder(ctx(), await fresh(shipped.orders[0]), { amount: 3500, idempotencyKey: key(), reason: '', actorId: null });
    expect([(await fresh(shipped.orders[0])).status, (await fresh(shipped.orders[0])).refunded_total]).to.deep.equal(['shipped', 3500]);

    const unshipped = await paidTestpayCheckout(t);
    const { Product } = shopModels();
    const stockBefore = (await Product.findByPk(unshipped.shops[0].product.id))!.stock;
    await payments.refundOrder(ctx(), await fresh(unshipped.orders[0]), { amount: 1000, idempotencyKey: key(), reason: '', actorId: null });
    expect((await fresh(unshipped.orders[0])).status, 'a partial refund cancels nothing').to.equal('paid');
    await payments.refundOrder(ctx(), await fresh(unshipped.orders[0]), { amount: 2500, idempotencyKey: key(), reason: '', actorId: null });
    expect([(await fresh(unshipped.orders[0])).status, (await fresh(unshipped.orders[0])).refunded_total]).to.deep.equal(['cancelled', 3500]);
    expect((await Product.findByPk(unshipped.shops[0].product.id))!.stock).to.equal(stockBefore! + 1);
  });

  it('sums the ledger of refunds per order after any mix of succeeded, failed and provider-settled refunds', async () => {
    const made = await paidTestpayCheckout(t);
    const order = made.orders[0];
    expect((await (await sellerOf(made)).move('shipped')).status).to.equal(303);
    await payments.refundOrder(ctx(), await fresh(order), { amount: 500, idempotencyKey: key(), reason: 'a', actorId: null });
    gateway.refundMode = 'failed';
    await payments.refundOrder(ctx(), await fresh(order), { amount: 700, idempotencyKey: key(), reason: 'b', actorId: null }).catch(() => undefined);
    gateway.refundMode = 'pending';
    const k = key();
    await payments.refundOrder(ctx(), await fresh(order), { amount: 900, idempotencyKey: k, reason: 'c', actorId: null });
    const settled = { id: eventId('re'), type: 'refund_settled', status: 'succeeded', groupId: made.group.id, orderId: order.id, amount: 800, currency: 'EUR', providerRef: `re_${k}`, idempotencyKey: k };
    expect((await deliver(t, settled)).status).to.equal(200);
    gateway.refundMode = 'succeeded';
    await payments.refundOrder(ctx(), await fresh(order), { amount: 300, idempotencyKey: key(), reason: 'd', actorId: null });

    const { Refund } = shopModels();
    const rows = await Refund.findAll({ where: { order_id: order.id }, order: [['id', 'ASC']] });
    expect(rows.map((r) => [r.amount, r.status])).to.deep.equal([
      [500, 'succeeded'],
      [700, 'failed'],
      [800, 'succeeded'],
      [300, 'succeeded'],
    ]);
    const ledger = rows.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.amount, 0);
    const now = await fresh(order);
    expect([now.status, now.refunded_total, ledger]).to.deep.equal(['shipped', 1600, 1600]);
    expect(await payments.refundableLeft(now)).to.equal(3500 - 1600);
  });

  it('migration 0005 gives orders a refund had moved back their fulfilment status', async () => {
    const migration = await pluginModule<typeof MigrationModule>('migrations/0005-refunds-are-records.ts');
    const shippedThenRefunded = (await paidTestpayCheckout(t)).orders[0];
    const paidThenRefunded = (await paidTestpayCheckout(t)).orders[0];
    const { OrderStatusHistory } = shopModels();
    const q = t.platform.sequelize;
    // The rows as the old state machine left them.
    await OrderStatusHistory.create({ order_id: shippedThenRefunded.id, from_status: 'paid', to_status: 'shipped', note: '', actor_id: null });
    await q.query(`UPDATE orders SET status = 'partially_refunded', refunded_total = 1000 WHERE id = ${shippedThenRefunded.id}`);
    await q.query(`UPDATE orders SET status = 'refunded', refunded_total = total WHERE id = ${paidThenRefunded.id}`);
    await migration.restoreFulfilmentStatuses(q);
    expect([(await fresh(shippedThenRefunded)).status, (await fresh(shippedThenRefunded)).refunded_total]).to.deep.equal(['shipped', 1000]);
    expect((await fresh(paidThenRefunded)).status).to.equal('cancelled');
  });
});

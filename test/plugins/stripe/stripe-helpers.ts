import { expect } from 'chai';
import { pino } from 'pino';
import type supertest from 'supertest';
import { log } from '../../../core/log';
import { startTestApp, type TestApp } from '../../helpers/app';
import { StripeServer, stripeSignature } from '../../helpers/stripe-server';
import { StripeLedgerEntry, StripePayment } from '../../../plugins/stripe/models';
import { owed, paidOut, platformNet, sellerEarnings, sum } from '../../../plugins/stripe/services/ledger';
import { shopModels } from '../shops/shop-models';
import { addToCart, checkout } from '../shops/order-helpers';

export const WEBHOOK_SECRET = 'whsec_agoraTestSecret0123456789';
export const PUBLISHABLE = 'pk_test_agora0000000000000000';

export interface StripeTestApp {
  t: TestApp;
  stripe: StripeServer;
  close(): Promise<void>;
}

/** One app with shops and stripe active, its keys saved through the settings (sealed), pointed at a local Stripe. */
export async function startStripeApp(settings: Record<string, string> = {}): Promise<StripeTestApp> {
  const stripe = await new StripeServer().start();
  const t = await startTestApp({ plugins: ['shops', 'stripe'], smtp: true });
  const saved = await t.platform.settings.save('stripe', {
    secretKey: stripe.secretKey,
    publishableKey: PUBLISHABLE,
    webhookSecret: WEBHOOK_SECRET,
    connectPayouts: 'on',
    statementDescriptor: 'AGORA MARKET',
    apiBase: stripe.apiBase,
    timeoutSeconds: '1',
    ...settings,
  });
  expect(saved).to.deep.equal({ ok: true });
  return {
    t,
    stripe,
    async close() {
      await t.close();
      await stripe.stop();
    },
  };
}

/** Posts an event to /stripe/webhook as Stripe would: the raw JSON, signed (or with the signature given). */
export function deliver(t: TestApp, event: Record<string, unknown>, options: { signature?: string; timestamp?: number; secret?: string } = {}) {
  const payload = JSON.stringify(event, null, 2);
  const signature = options.signature ?? stripeSignature(payload, options.secret ?? WEBHOOK_SECRET, options.timestamp);
  return t.agent().post('/stripe/webhook').set('Content-Type', 'application/json').set('Stripe-Signature', signature).send(payload);
}

/** A buyer checks out the agent's cart with Stripe; answers the response and the session Stripe made. */
export async function checkoutWithStripe(s: StripeTestApp, agent: supertest.Agent, products: Array<{ id: number; quantity?: number }>, fields: Record<string, string> = {}) {
  for (const p of products) await addToCart(agent, p.id, p.quantity ?? 1);
  const before = new Set(s.stripe.sessions.keys());
  const res = await checkout(agent, { gateway: 'stripe', ...fields });
  const sessionId = [...s.stripe.sessions.keys()].find((id) => !before.has(id));
  const payment = sessionId ? await StripePayment.findOne({ where: { session_id: sessionId } }) : null;
  return { res, sessionId, session: sessionId ? s.stripe.sessions.get(sessionId)! : undefined, payment };
}

/** Waits for the background jobs due now (transfers, refund splits, mail) to be done; the orders' expiry, days away, is not waited for. */
export async function jobsDone(t: TestApp, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const [rows] = await t.platform.sequelize.query("SELECT COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running') AND run_at <= ?", { replacements: [new Date(Date.now() + 5000)], transaction: null });
    if (Number((rows as Array<{ n: number | string }>)[0].n) === 0) return;
    if (Date.now() - start > timeoutMs) throw new Error('jobs still waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The ledger identity, per order and in all: seller earnings + platform fee = amount paid − refunds, with
 * "paid" what Stripe reported and "refunds" what shops recorded on the orders.
 */
export async function expectLedgerIdentity(): Promise<void> {
  const { Order } = shopModels();
  const payments = await StripePayment.findAll({ where: { status: 'paid' } });
  let paid = 0;
  let refunded = 0;
  let earnings = 0;
  let fees = 0;
  for (const p of payments) {
    paid += p.amount_paid ?? 0;
    for (const share of p.orders_json) {
      const order = (await Order.findByPk(share.orderId))!;
      const money = sum(await StripeLedgerEntry.findAll({ where: { order_id: share.orderId } }));
      expect(money.sale, `sale of ${share.number}`).to.equal(order.total);
      expect(sellerEarnings(money) + platformNet(money), `identity of ${share.number}`).to.equal(order.total - order.refunded_total);
      expect(owed(money) + paidOut(money)).to.equal(sellerEarnings(money));
      refunded += order.refunded_total;
      earnings += sellerEarnings(money);
      fees += platformNet(money);
    }
  }
  expect(earnings + fees, 'seller earnings + platform fee = amount paid − refunds').to.equal(paid - refunded);
}

/**
 * Every log line the app writes from now on, captured (tests run with logging silent): so a test can scan
 * what would have been logged for card data and keys. `restore()` puts the logger back.
 */
export function captureLogs(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const target = log as unknown as Record<symbol, unknown>;
  const stream = target[pino.symbols.streamSym];
  const level = log.level;
  log.level = 'trace';
  target[pino.symbols.streamSym] = { write: (line: string) => void lines.push(line) };
  return {
    lines,
    restore() {
      target[pino.symbols.streamSym] = stream;
      log.level = level;
    },
  };
}

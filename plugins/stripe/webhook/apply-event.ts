import type Stripe from 'stripe';
import { UniqueConstraintError } from 'sequelize';
import type { PluginContext } from '@agora/core';
import { applyWebhook, setPayoutAccount, type WebhookOutcome } from '../../shops/payments';
import { stripeClient } from '../client';
import { STRIPE_GATEWAY_ID } from '../gateway';
import { StripeAccount, StripeEvent, StripePayment } from '../models';
import type { StripePaymentStatus } from '../models/stripe-payment';
import { recordSale } from '../services/ledger';
import type { StripeSettings } from '../settings';

export interface EventResult {
  duplicate: boolean;
  result: string;
}

const idOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === 'string' ? v : (v?.id ?? null));

/**
 * Applies one verified Stripe event exactly once: its id is written first, under a unique index, in the
 * same transaction as everything it changes (shops' orders through `applyWebhook`, which joins it, our
 * payment row, the ledger and the transfer jobs). A replay, or the same event at the same moment, finds
 * the row (or waits on it) and changes nothing.
 */
export async function applyStripeEvent(ctx: PluginContext, settings: StripeSettings, event: Stripe.Event): Promise<EventResult> {
  // charge.refunded may need Stripe's list of the charge's refunds: asked before the transaction opens.
  const refunds = event.type === 'charge.refunded' ? await refundsOf(settings, event.data.object) : [];
  try {
    return await ctx.sequelize.transaction(async () => {
      const row = await StripeEvent.create({ event_id: event.id, type: event.type, payment_id: null, account_row_id: null, result: '' });
      const result = await dispatch(ctx, settings, event, row, refunds);
      await row.update({ result: result.slice(0, 500) });
      return { duplicate: false, result };
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError && (await StripeEvent.count({ where: { event_id: event.id } }))) return { duplicate: true, result: 'already applied' };
    throw error;
  }
}

async function refundsOf(settings: StripeSettings, charge: Stripe.Charge): Promise<Stripe.Refund[]> {
  if (charge.refunds?.data?.length && !charge.refunds.has_more) return charge.refunds.data;
  const list = await (await stripeClient(settings)).refunds.list({ charge: charge.id, limit: 100 });
  return list.data;
}

async function dispatch(ctx: PluginContext, settings: StripeSettings, event: Stripe.Event, row: StripeEvent, refunds: Stripe.Refund[]): Promise<string> {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
      return sessionEvent(ctx, settings, event, row);
    case 'charge.refunded': {
      const payment = await paymentByIntent(idOf(event.data.object.payment_intent));
      if (!payment) return 'ignored: not a payment Agora made';
      await row.update({ payment_id: payment.id });
      const lines: string[] = [];
      for (const refund of refunds) lines.push(...(await refundOutcome(ctx, `${event.id}:${refund.id}`, payment, refund)));
      return lines.join('; ') || 'nothing new';
    }
    case 'refund.updated': {
      const refund = event.data.object;
      const payment = await paymentByIntent(idOf(refund.payment_intent));
      if (!payment) return 'ignored: not a payment Agora made';
      await row.update({ payment_id: payment.id });
      return (await refundOutcome(ctx, event.id, payment, refund)).join('; ') || 'nothing new';
    }
    case 'account.updated':
      return accountEvent(ctx, event.id, event.data.object, row);
    default:
      return `ignored: ${event.type} is not used`;
  }
}

async function paymentByIntent(intent: string | null): Promise<StripePayment | null> {
  return intent ? StripePayment.findOne({ where: { payment_intent_id: intent }, order: [['id', 'DESC']] }) : null;
}

async function sessionEvent(ctx: PluginContext, settings: StripeSettings, event: Stripe.Event, row: StripeEvent): Promise<string> {
  const session = event.data.object as Stripe.Checkout.Session;
  const payment = await StripePayment.findOne({ where: { session_id: session.id } });
  // A session made by another integration on the same Stripe account: not ours to act on.
  if (!payment) return 'ignored: not a session Agora made';
  await row.update({ payment_id: payment.id });
  const base = { eventId: event.id, amount: session.amount_total ?? 0, currency: (session.currency ?? payment.currency).toUpperCase(), providerRef: session.id, groupId: payment.group_id };
  const ids = { payment_intent_id: idOf(session.payment_intent) ?? payment.payment_intent_id, customer_id: idOf(session.customer) ?? payment.customer_id };

  let outcome: WebhookOutcome;
  let status: StripePaymentStatus;
  if (event.type === 'checkout.session.completed' || event.type === 'checkout.session.async_payment_succeeded') {
    if (session.payment_status !== 'paid') {
      // A delayed method (a bank debit): the money is not there yet; async_payment_succeeded or _failed follows.
      await payment.update(ids);
      return `waiting: payment_status ${session.payment_status}`;
    }
    outcome = { ...base, type: 'payment_succeeded' };
    status = 'paid';
  } else if (event.type === 'checkout.session.async_payment_failed') {
    outcome = { ...base, type: 'payment_failed', reason: 'The payment failed at Stripe' };
    status = 'failed';
  } else {
    outcome = { ...base, type: 'payment_expired' };
    status = 'expired';
  }
  const applied = await applyWebhook(ctx, STRIPE_GATEWAY_ID, outcome);
  const lines = applied.applied;
  const review = lines.some((l) => l.endsWith('needs review'));
  if (status === 'paid') {
    await payment.update({ ...ids, amount_paid: base.amount, status: review ? 'needs_review' : 'paid', failure: review ? `Stripe reported ${base.amount} ${base.currency}; see the review` : null });
    const paidNumbers = new Set(lines.filter((l) => l.endsWith(': paid')).map((l) => l.slice(0, -': paid'.length)));
    const paidOrders = payment.orders_json.filter((o) => paidNumbers.has(o.number)).map((o) => o.orderId);
    if (paidOrders.length) await recordSale(ctx, settings, payment, paidOrders);
  } else if (lines.length) {
    await payment.update({ ...ids, status });
  } else {
    await payment.update(ids);
  }
  return lines.join('; ') || `nothing changed (${event.type} for a checkout that is no longer waiting)`;
}

async function refundOutcome(ctx: PluginContext, eventId: string, payment: StripePayment, refund: Stripe.Refund): Promise<string[]> {
  if (refund.status !== 'succeeded' && refund.status !== 'failed' && refund.status !== 'canceled') return [];
  const orderId = Number(refund.metadata?.agora_order_id) || undefined;
  const outcome: WebhookOutcome = {
    type: 'refund_settled',
    eventId,
    amount: refund.amount,
    currency: refund.currency.toUpperCase(),
    providerRef: refund.id,
    groupId: payment.group_id,
    ...(orderId && payment.orders_json.some((o) => o.orderId === orderId) ? { orderId } : {}),
    status: refund.status === 'succeeded' ? 'succeeded' : 'failed',
    idempotencyKey: refund.metadata?.agora_refund_key || undefined,
    failure: refund.failure_reason ?? undefined,
  };
  return (await applyWebhook(ctx, STRIPE_GATEWAY_ID, outcome)).applied;
}

async function accountEvent(ctx: PluginContext, eventId: string, account: Stripe.Account, row: StripeEvent): Promise<string> {
  const known = await StripeAccount.findOne({ where: { account_id: account.id } });
  if (!known) return 'ignored: not an account Agora connected';
  await row.update({ account_row_id: known.id });
  const enabled = !!account.charges_enabled && !!account.payouts_enabled;
  await known.update({ charges_enabled: !!account.charges_enabled, payouts_enabled: !!account.payouts_enabled, details_submitted: !!account.details_submitted });
  const applied = await applyWebhook(ctx, STRIPE_GATEWAY_ID, { type: 'payout_account_updated', eventId, providerRef: account.id, shopId: known.shop_id, enabled });
  if (!applied.applied.length) await setPayoutAccount(known.shop_id, account.id, enabled);
  return `shop ${known.shop_id}: payouts ${enabled ? 'enabled' : 'not enabled yet'}`;
}

import { UniqueConstraintError, type Transaction } from 'sequelize';
import { formatMoney, type PluginContext } from '@agora/core';
import { CheckoutGroup } from '../models/checkout-group';
import { Order } from '../models/order';
import { PaymentEvent } from '../models/payment-event';
import { Refund } from '../models/refund';
import { Shop } from '../models/shop';
import { moveOrder } from '../services/order-state';
import { settleGroup } from '../services/order-payments';
import type { WebhookOutcome } from './gateway';
import { settleRefund } from './refunds';

type Ctx = { hooks: Pick<PluginContext['hooks'], 'do' | 'apply'> } & Pick<PluginContext, 'log' | 'sequelize'>;

export interface WebhookResult {
  duplicate: boolean;
  /** What the event changed, one line per order or refund ("AG-1-01: paid"); empty when nothing. */
  applied: string[];
}

/** The short name an event is recorded under (the column holds 20 characters). */
type Recorded = 'paid' | 'failed' | 'expired' | 'refund' | 'payout' | 'ignore' | 'review';

/**
 * Applies a provider's event exactly once: the PaymentEvent row (unique per gateway and event id) is
 * written first in the same transaction as its effect, so a redelivered event, even at the same moment,
 * waits on that row, finds it and changes nothing.
 */
export async function applyWebhook(ctx: Ctx, gatewayId: string, outcome: WebhookOutcome): Promise<WebhookResult> {
  const applied: string[] = [];
  try {
    await ctx.sequelize.transaction(async (transaction) => {
      const target = 'groupId' in outcome || 'orderId' in outcome ? await targetOf(outcome, transaction) : { group: null, order: null };
      const money = 'amount' in outcome ? { amount: outcome.amount, currency: outcome.currency } : { amount: null, currency: null };
      const event = await PaymentEvent.create(
        {
          gateway: gatewayId,
          event_id: outcome.eventId,
          group_id: target.group?.id ?? null,
          order_id: target.order?.id ?? null,
          action: initialAction(outcome),
          ...money,
          provider_ref: 'providerRef' in outcome ? outcome.providerRef.slice(0, 200) : null,
        },
        { transaction },
      );
      const record = async (action: Recorded) => event.update({ action }, { transaction });
      if (outcome.type === 'ignore') return;
      if (outcome.type === 'payout_account_updated') {
        const where = outcome.shopId ? { id: outcome.shopId } : { payout_account: outcome.providerRef };
        const [n] = await Shop.update({ payout_account: outcome.providerRef, payout_enabled: outcome.enabled }, { where, transaction });
        if (n) applied.push(`payout account ${outcome.providerRef}: ${outcome.enabled ? 'enabled' : 'disabled'}`);
        return;
      }
      const { group, order } = target;
      if (!group) return record('ignore');
      if (group.gateway !== gatewayId) {
        ctx.log.warn({ gateway: gatewayId, group: group.reference }, 'webhook for a group paid with another gateway ignored');
        return record('ignore');
      }
      if (outcome.type === 'payment_succeeded') {
        // Already waiting for the admin: a later event is recorded beside the first, which keeps its reason.
        if (group.status === 'needs_review') return record('review');
        const problem = paymentProblem(group, outcome.amount, outcome.currency);
        if (problem) {
          await putInReview(ctx, group, problem, transaction);
          applied.push(`${group.reference}: needs review`);
          return record('review');
        }
        const pending = await Order.findAll({ where: { group_id: group.id, status: 'pending' }, order: [['id', 'ASC']], transaction });
        if (group.status === 'paid' && pending.length === 0) return record('ignore'); // the same payment told twice under two event ids
        if (group.status !== 'pending' || pending.length === 0) {
          // Money arrived for orders that are no longer waiting for it (expired, cancelled): someone must look.
          await putInReview(ctx, group, `Payment of ${formatMoney(outcome.amount, outcome.currency)} arrived after the checkout was ${group.status}`, transaction);
          applied.push(`${group.reference}: needs review`);
          return record('review');
        }
        for (const o of pending) {
          await moveOrder(ctx, o, 'paid', { note: `Payment confirmed by ${gatewayId}`, transaction });
          applied.push(`${o.number}: paid`);
        }
        await settleGroup(group.id, transaction);
        return;
      }
      if (outcome.type === 'payment_failed' || outcome.type === 'payment_expired') {
        // A group in review waits for the admin, whatever the provider says next.
        if (group.status !== 'pending') return record('ignore');
        const to = outcome.type === 'payment_expired' ? 'expired' : 'cancelled';
        const pending = await Order.findAll({ where: { group_id: group.id, status: 'pending' }, order: [['id', 'ASC']], transaction });
        for (const o of pending) {
          await moveOrder(ctx, o, to, { note: `Payment ${to === 'expired' ? 'expired' : 'failed'} at ${gatewayId}`, transaction });
          applied.push(`${o.number}: ${to}`);
        }
        await settleGroup(group.id, transaction);
        return;
      }
      // refund_settled
      if (outcome.currency !== group.currency) {
        ctx.log.error({ group: group.reference, expected: group.currency, got: outcome.currency }, 'refund in another currency than the payment; not applied');
        return record('review');
      }
      applied.push(...(await applyRefundSettled(ctx, gatewayId, outcome, group, order, transaction)));
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) return { duplicate: true, applied: [] };
    throw error;
  }
  return { duplicate: false, applied };
}

function initialAction(outcome: WebhookOutcome): Recorded {
  switch (outcome.type) {
    case 'payment_succeeded':
      return 'paid';
    case 'payment_failed':
      return 'failed';
    case 'payment_expired':
      return 'expired';
    case 'refund_settled':
      return 'refund';
    case 'payout_account_updated':
      return 'payout';
    default:
      return 'ignore';
  }
}

async function targetOf(outcome: { groupId?: number; orderId?: number }, transaction: Transaction): Promise<{ group: CheckoutGroup | null; order: Order | null }> {
  const order = outcome.orderId ? await Order.findByPk(outcome.orderId, { transaction }) : null;
  const groupId = outcome.groupId ?? order?.group_id;
  const group = groupId ? await CheckoutGroup.findByPk(groupId, { transaction }) : null;
  // An order named but unknown, or of another group than the one named, makes the event about nothing we know.
  if ((outcome.orderId && !order) || (order && group && order.group_id !== group.id)) return { group: null, order: null };
  return { group, order };
}

/** Why a reported payment cannot be taken as the checkout's: a different currency or amount. */
function paymentProblem(group: CheckoutGroup, amount: number, currency: string): string | null {
  if (currency.toUpperCase() !== group.currency) return `The provider reported a payment in ${currency.toUpperCase()}; the checkout is in ${group.currency}`;
  if (amount !== group.total) return `The provider reported ${formatMoney(amount, group.currency)}; the checkout total is ${formatMoney(group.total, group.currency)}`;
  return null;
}

/** The group waits for an admin: its orders stay unpaid (and do not expire) until someone decides. */
async function putInReview(ctx: Ctx, group: CheckoutGroup, reason: string, transaction: Transaction): Promise<void> {
  ctx.log.error({ group: group.reference, reason }, 'payment needs review; orders left unpaid');
  await group.update({ status: 'needs_review', review_reason: reason.slice(0, 500) }, { transaction });
}

/**
 * The provider's word on a refund: one we asked for (found by our key or its reference) is settled with
 * the amount the provider gives; one made at the provider's end (its dashboard) becomes a refund record of
 * the order it names, or, when it names only the group, is spread over the group's orders in order, each
 * up to what it has left. Never every order in full.
 */
async function applyRefundSettled(
  ctx: Ctx,
  gatewayId: string,
  outcome: Extract<WebhookOutcome, { type: 'refund_settled' }>,
  group: CheckoutGroup,
  order: Order | null,
  transaction: Transaction,
): Promise<string[]> {
  const known =
    (outcome.idempotencyKey ? await Refund.findOne({ where: { idempotency_key: outcome.idempotencyKey }, transaction }) : null) ??
    (await Refund.findOne({ where: { provider_ref: outcome.providerRef }, order: [['id', 'ASC']], transaction }));
  if (known) {
    const of = await Order.findByPk(known.order_id, { attributes: ['id', 'group_id', 'number'], transaction });
    if (!of || of.group_id !== group.id) return [];
    const changed = await settleRefund(ctx, known, { status: outcome.status, amount: outcome.amount, providerRef: outcome.providerRef, failure: outcome.failure }, transaction);
    return changed ? [`${of.number}: refund ${outcome.status}`] : [];
  }
  if (outcome.status !== 'succeeded') return [];
  const orders = order ? [order] : await Order.findAll({ where: { group_id: group.id }, order: [['id', 'ASC']], transaction });
  const lines: string[] = [];
  let rest = outcome.amount;
  for (const o of orders) {
    if (rest <= 0) break;
    const share = Math.min(rest, o.total - o.refunded_total);
    if (share <= 0) continue;
    const refund = await Refund.create(
      { order_id: o.id, amount: share, idempotency_key: `${gatewayId}:${outcome.providerRef}:${o.id}`.slice(0, 100), provider_ref: outcome.providerRef, reason: `Refunded at ${gatewayId}`, status: 'processing' },
      { transaction },
    );
    if (await settleRefund(ctx, refund, { status: 'succeeded', amount: share, note: `at ${gatewayId}` }, transaction)) lines.push(`${o.number}: refunded ${formatMoney(share, o.currency)}`);
    rest -= share;
  }
  if (rest > 0) ctx.log.warn({ group: group.reference, left: rest }, 'provider refunded more than the orders had left');
  return lines;
}

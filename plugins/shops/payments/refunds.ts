import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import { formatMoney, rootTransaction, type PluginContext } from '@agora/core';
import { CheckoutGroup } from '../models/checkout-group';
import { Order, type OrderStatus } from '../models/order';
import { Refund, type RefundStatus } from '../models/refund';
import { Shop } from '../models/shop';
import { OrderStatusHistory } from '../models/order-status-history';
import { STATUS_LABELS, moveOrder } from '../services/order-state';
import { findGateway } from './gateways';
import { issueCreditNote } from '../services/invoice-service';

type Ctx = { hooks: Pick<PluginContext['hooks'], 'do' | 'apply'> } & Pick<PluginContext, 'log' | 'sequelize'>;

/** A refund that cannot be made as asked (too much, wrong state, the provider said no): shown on the form. */
export class RefundProblem extends Error {
  readonly status = 422;
}

export interface RefundInput {
  amount: number;
  idempotencyKey: string;
  reason: string;
  actorId: number | null;
}

export interface RefundOutcome {
  refund: Refund;
  /** True when this request did not call the provider: the key was already used (a double click, a retry). */
  repeated: boolean;
}

/** How each refund status reads on the order pages. */
export const REFUND_LABELS: Readonly<Record<RefundStatus, string>> = {
  requested: 'asked',
  processing: 'being made',
  pending: 'waiting for the provider',
  succeeded: 'refunded',
  failed: 'failed, nothing refunded',
};

/** Statuses of a refund whose money is on its way: counted against what is left to refund. */
export const OPEN_REFUND_STATUSES: readonly RefundStatus[] = ['requested', 'processing', 'pending'];
/** Orders whose money was taken and not all given back; a refund leaves their fulfilment status as it is. */
export const REFUNDABLE: readonly OrderStatus[] = ['paid', 'shipped', 'completed'];

/** What is left to refund on an order: its total, less what was refunded and what is being refunded. */
export async function refundableLeft(order: Order, transaction?: Transaction): Promise<number> {
  const open = (await Refund.sum('amount', { where: { order_id: order.id, status: [...OPEN_REFUND_STATUSES] }, transaction })) || 0;
  return order.total - order.refunded_total - open;
}

/**
 * Refunds part or all of one order through its group's gateway, in three steps:
 * 1. the intent: a `requested` Refund row with the idempotency key, written in a transaction that checks
 *    the amount against what is left (refunds on their way included);
 * 2. the claim: one conditional update `requested → processing`; only the request that wins it calls the
 *    provider, outside any transaction, so a double click or a retry never refunds twice;
 * 3. the settlement: succeeded adds the provider's amount to the order; failed leaves the order as it was;
 *    pending waits for the provider's `refund_settled` webhook.
 */
export async function refundOrder(ctx: Ctx, order: Order, input: RefundInput): Promise<RefundOutcome> {
  const group = await CheckoutGroup.findByPk(order.group_id);
  const gateway = group ? await findGateway(ctx, group.gateway) : undefined;
  let refund = await Refund.findOne({ where: { idempotency_key: input.idempotencyKey } });
  if (refund) sameOrder(refund, order);
  if (!group || !gateway) {
    if (refund) return { refund, repeated: true };
    throw new RefundProblem('The payment method of this order is no longer installed; refund it at the provider.');
  }
  if (!refund) {
    try {
      refund = await ctx.sequelize.transaction(async (transaction) => {
        const fresh = await Order.findByPk(order.id, { transaction, lock: transaction.LOCK.UPDATE });
        if (!fresh) throw new RefundProblem('The order is gone.');
        const left = await refundableLeft(fresh, transaction);
        if (!REFUNDABLE.includes(fresh.status)) throw new RefundProblem(`Order ${fresh.number} is ${STATUS_LABELS[fresh.status].toLowerCase()}; there is no payment to refund.`);
        if (input.amount < 1 || input.amount > left) throw new RefundProblem(`Refund at most what is left to refund: ${formatMoney(Math.max(0, left), fresh.currency)}.`);
        return Refund.create(
          { order_id: fresh.id, amount: input.amount, idempotency_key: input.idempotencyKey, reason: input.reason.slice(0, 500), status: 'requested', actor_id: input.actorId },
          { transaction },
        );
      });
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
      refund = await Refund.findOne({ where: { idempotency_key: input.idempotencyKey } });
      if (!refund) throw error;
      sameOrder(refund, order);
    }
  }

  // Whoever moves the row out of `requested` calls the provider; everyone else describes that refund.
  const [claimed] = await Refund.update({ status: 'processing' }, { where: { id: refund.id, status: 'requested' } });
  if (claimed !== 1) return { refund: await refund.reload(), repeated: true };

  const shop = await Shop.findByPk(order.shop_id, { attributes: ['id', 'payout_account'] });
  let result;
  try {
    result = await gateway.refund({
      paymentRef: group.payment_ref ?? '',
      amount: refund.amount,
      currency: order.currency,
      idempotencyKey: refund.idempotency_key,
      reason: refund.reason || undefined,
      order: { id: order.id, number: order.number, shopId: order.shop_id, payoutAccount: shop?.payout_account ?? null },
    });
  } catch (error) {
    ctx.log.error({ err: error, order: order.number, gateway: gateway.id }, 'refund failed at the gateway');
    await ctx.sequelize.transaction((transaction) => settleRefund(ctx, refund, { status: 'failed', failure: error instanceof Error ? error.message : String(error) }, transaction));
    throw new RefundProblem(`${gateway.title} could not make the refund; nothing was refunded. Try again later.`);
  }
  await ctx.sequelize.transaction((transaction) =>
    settleRefund(ctx, refund, { status: result.status, amount: result.amount, providerRef: result.refundRef, failure: result.failure, actorId: input.actorId, note: input.reason }, transaction),
  );
  await refund.reload();
  await order.reload();
  if (refund.status === 'failed') throw new RefundProblem(`${gateway.title} refused the refund; nothing was refunded.${result.failure ? ` (${result.failure})` : ''}`);
  return { refund, repeated: false };
}

export interface Settlement {
  status: 'succeeded' | 'failed' | 'pending';
  /** What the provider refunded; the amount asked when it does not say. */
  amount?: number;
  providerRef?: string;
  failure?: string;
  actorId?: number | null;
  note?: string;
}

/**
 * Records the provider's answer on a refund, once: each move is a conditional update from the statuses
 * it may come from, so a webhook and the request that asked, arriving together, settle it once.
 * Succeeded adds the provider's amount (capped at what the order has left) to the order and moves it to
 * partially refunded or refunded; the refund row keeps its own status either way.
 */
export async function settleRefund(ctx: Ctx, refund: Refund, settlement: Settlement, transaction: Transaction): Promise<boolean> {
  const ref = settlement.providerRef ? { provider_ref: settlement.providerRef } : {};
  if (settlement.status === 'pending') {
    const [n] = await Refund.update({ status: 'pending', ...ref }, { where: { id: refund.id, status: ['requested', 'processing'] }, transaction });
    return n === 1;
  }
  if (settlement.status === 'failed') {
    const [n] = await Refund.update(
      { status: 'failed', failure: (settlement.failure ?? 'Refused by the provider').slice(0, 500), settled_at: new Date(), ...ref },
      { where: { id: refund.id, status: [...OPEN_REFUND_STATUSES] }, transaction },
    );
    return n === 1;
  }
  const order = await Order.findByPk(refund.order_id, { transaction, lock: transaction.LOCK.UPDATE });
  if (!order) return false;
  const asked = settlement.amount ?? refund.amount;
  const amount = Math.max(0, Math.min(asked, order.total - order.refunded_total));
  if (amount !== asked) ctx.log.warn({ order: order.number, asked, refunded: amount }, 'provider refunded more than the order had left; the order records what it had left');
  // A refund the provider settles after we marked it failed (the call timed out, yet it went through) counts too.
  const [n] = await Refund.update({ status: 'succeeded', amount, settled_at: new Date(), failure: null, ...ref }, { where: { id: refund.id, status: { [Op.ne]: 'succeeded' } }, transaction });
  if (n !== 1) return false;
  const refunded = order.refunded_total + amount;
  await Order.update({ refunded_total: refunded }, { where: { id: order.id }, transaction });
  order.refunded_total = refunded;
  const actorId = settlement.actorId ?? refund.actor_id ?? null;
  const note = `Refunded ${formatMoney(amount, order.currency)}${settlement.note ? `: ${settlement.note}` : ''}`;
  // The refund is a record on the order; the order moves only when all was refunded before it shipped.
  if (refunded >= order.total && order.status === 'paid') {
    await moveOrder(ctx, order, 'cancelled', { actorId, note: `${note} (all of it, before shipping)`, transaction, fullRefund: true });
  } else {
    await OrderStatusHistory.create({ order_id: order.id, from_status: order.status, to_status: order.status, note: note.slice(0, 500), actor_id: actorId }, { transaction });
  }
  // Each refund that went through gets its credit note, numbered in this transaction (services/invoice-service.ts).
  await issueCreditNote(refund.id, transaction);
  const settled = await Refund.findByPk(refund.id, { transaction });
  // After the outermost commit: settled inside a provider's own transaction (a savepoint), it may still roll back.
  rootTransaction(transaction).afterCommit(async () => {
    if (settled) await ctx.hooks.do('shops.order.refunded', order, settled);
  });
  return true;
}

function sameOrder(refund: Refund, order: Order): void {
  // A key is one refund of one order: reusing it for another order is a mistake, not a repeat.
  if (refund.order_id !== order.id) throw new RefundProblem('That refund key belongs to another order; reload the page and try again.');
}

import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { PluginContext } from '../../../core/plugins/context';
import { formatMoney } from '../../../core/http/money';
import { CheckoutGroup } from '../models/checkout-group';
import { Order } from '../models/order';
import { PaymentEvent } from '../models/payment-event';
import { Refund } from '../models/refund';
import type { WebhookOutcome } from '../payments/gateway';
import { findGateway } from '../payments/gateways';
import { IllegalTransition, moveOrder } from './order-state';

type Ctx = { hooks: Pick<PluginContext['hooks'], 'do' | 'apply'> } & Pick<PluginContext, 'log' | 'sequelize'>;

/** A refund that cannot be made as asked (too much, wrong state, the provider said no): shown on the form. */
export class RefundProblem extends Error {
  readonly status = 422;
}

/** Sets the group's status from its orders once none of them waits for payment any more. */
export async function settleGroup(groupId: number, transaction: Transaction): Promise<void> {
  const orders = await Order.findAll({ where: { group_id: groupId }, attributes: ['status'], transaction });
  if (orders.some((o) => o.status === 'pending')) return;
  const paid = orders.some((o) => o.status !== 'cancelled' && o.status !== 'expired');
  const status = paid ? 'paid' : orders.every((o) => o.status === 'expired') ? 'expired' : 'cancelled';
  await CheckoutGroup.update({ status }, { where: { id: groupId }, transaction });
}

/** Marks one order paid (the seller confirming a manual payment), and the group once all its orders are. */
export async function markOrderPaid(ctx: Ctx, order: Order, actorId: number | null, note = ''): Promise<void> {
  await ctx.sequelize.transaction(async (transaction) => {
    await moveOrder(ctx, order, 'paid', { actorId, note: note || 'Payment received', transaction });
    await settleGroup(order.group_id, transaction);
  });
}

export interface WebhookResult {
  duplicate: boolean;
  applied: string[];
}

/**
 * Applies a provider's event exactly once: the PaymentEvent row (unique per gateway and event id) is
 * written in the same transaction as its effect, so a redelivered event, even at the same moment,
 * finds the row and changes nothing.
 */
export async function applyWebhook(ctx: Ctx, gatewayId: string, outcome: WebhookOutcome): Promise<WebhookResult> {
  const applied: string[] = [];
  try {
    await ctx.sequelize.transaction(async (transaction) => {
      const group = outcome.groupId ? await CheckoutGroup.findByPk(outcome.groupId, { transaction }) : null;
      await PaymentEvent.create(
        { gateway: gatewayId, event_id: outcome.eventId, group_id: group?.id ?? null, action: outcome.action, amount: outcome.amount ?? null },
        { transaction },
      );
      if (!group || outcome.action === 'ignore') return;
      if (group.gateway !== gatewayId) {
        ctx.log.warn({ gateway: gatewayId, group: group.reference }, 'webhook for a group paid with another gateway ignored');
        return;
      }
      const orders = await Order.findAll({ where: { group_id: group.id }, order: [['id', 'ASC']], transaction });
      if (outcome.action === 'paid') {
        if (outcome.amount !== undefined && outcome.amount !== group.total) {
          ctx.log.error({ group: group.reference, expected: group.total, got: outcome.amount }, 'payment amount differs from the checkout total; orders left pending');
          return;
        }
        for (const order of orders.filter((o) => o.status === 'pending')) {
          await moveOrder(ctx, order, 'paid', { note: `Payment confirmed by ${gatewayId}`, transaction });
          applied.push(`${order.number}: paid`);
        }
        await settleGroup(group.id, transaction);
      } else if (outcome.action === 'failed' || outcome.action === 'expired') {
        const to = outcome.action === 'expired' ? 'expired' : 'cancelled';
        for (const order of orders.filter((o) => o.status === 'pending')) {
          await moveOrder(ctx, order, to, { note: `Payment ${outcome.action} at ${gatewayId}`, transaction });
          applied.push(`${order.number}: ${to}`);
        }
        await settleGroup(group.id, transaction);
      } else if (outcome.action === 'refunded') {
        // A refund made at the provider's end (its dashboard): every paid order of the group is refunded in full.
        for (const order of orders.filter((o) => ['paid', 'shipped', 'partially_refunded'].includes(o.status))) {
          await Order.update({ refunded_total: order.total }, { where: { id: order.id }, transaction });
          await moveOrder(ctx, order, 'refunded', { note: `Refunded at ${gatewayId}`, transaction });
          applied.push(`${order.number}: refunded`);
        }
      }
    });
  } catch (error) {
    if (error instanceof UniqueConstraintError) return { duplicate: true, applied: [] };
    throw error;
  }
  return { duplicate: false, applied };
}

export interface RefundInput {
  amount: number;
  idempotencyKey: string;
  reason: string;
  actorId: number | null;
}

/**
 * Refunds part or all of one order through its group's gateway. The idempotency key is claimed by the
 * Refund row inside the transaction and handed to the gateway, so the same key, sent twice or at the
 * same moment, refunds once; the second answer is the first refund.
 */
export async function refundOrder(ctx: Ctx, order: Order, input: RefundInput): Promise<{ refund: Refund; repeated: boolean }> {
  const existing = await Refund.findOne({ where: { idempotency_key: input.idempotencyKey } });
  if (existing) return sameRefund(existing, order);
  const group = await CheckoutGroup.findByPk(order.group_id);
  const gateway = group ? await findGateway(ctx, group.gateway) : undefined;
  if (!group || !gateway) throw new RefundProblem('The payment method of this order is no longer installed; refund it at the provider.');
  try {
    const refund = await ctx.sequelize.transaction(async (transaction) => {
      const fresh = await Order.findByPk(order.id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!fresh) throw new RefundProblem('The order is gone.');
      const to = fresh.refunded_total + input.amount >= fresh.total ? 'refunded' : 'partially_refunded';
      if (!['paid', 'shipped', 'partially_refunded'].includes(fresh.status)) throw new IllegalTransition(fresh.number, fresh.status, to);
      const left = fresh.total - fresh.refunded_total;
      if (input.amount < 1 || input.amount > left) throw new RefundProblem(`Refund at most what is left to refund: ${formatMoney(left, fresh.currency)}.`);
      const row = await Refund.create({ order_id: fresh.id, amount: input.amount, idempotency_key: input.idempotencyKey, reason: input.reason.slice(0, 500) }, { transaction });
      let result;
      try {
        result = await gateway.refund({ paymentRef: group.payment_ref ?? '', amount: input.amount, currency: fresh.currency, idempotencyKey: input.idempotencyKey, reason: input.reason || undefined });
      } catch (error) {
        ctx.log.error({ err: error, order: fresh.number, gateway: gateway.id }, 'refund failed at the gateway');
        throw new RefundProblem(`${gateway.title} could not make the refund; nothing was refunded. Try again later.`);
      }
      if (result.status === 'failed') throw new RefundProblem(`${gateway.title} refused the refund; nothing was refunded.`);
      await row.update({ provider_ref: result.refundRef }, { transaction });
      await Order.update({ refunded_total: fresh.refunded_total + input.amount }, { where: { id: fresh.id }, transaction });
      // A second partial refund changes the amount, not the status: the Refund row is its record.
      if (fresh.status !== to) {
        await moveOrder(ctx, fresh, to, { actorId: input.actorId, note: `Refunded ${formatMoney(input.amount, fresh.currency)}${input.reason ? `: ${input.reason}` : ''}`, transaction });
      }
      order.set({ status: fresh.status, refunded_total: fresh.refunded_total + input.amount });
      return row;
    });
    return { refund, repeated: false };
  } catch (error) {
    if (error instanceof UniqueConstraintError) {
      const row = await Refund.findOne({ where: { idempotency_key: input.idempotencyKey } });
      if (row) return sameRefund(row, order);
    }
    throw error;
  }
}

function sameRefund(refund: Refund, order: Order): { refund: Refund; repeated: boolean } {
  // A key is one refund of one order: reusing it for another order is a mistake, not a repeat.
  if (refund.order_id !== order.id) throw new RefundProblem('That refund key belongs to another order; reload the page and try again.');
  return { refund, repeated: true };
}

/** Pending orders of the group older than `hours`, expired; used by the expiry job and its sweep. */
export async function expirePending(ctx: Ctx, hours: number, groupId?: number): Promise<number> {
  const cutoff = new Date(Date.now() - hours * 3600_000);
  const where = { status: 'pending', created_at: { [Op.lt]: cutoff }, ...(groupId ? { group_id: groupId } : {}) };
  const stale = await Order.findAll({ where, order: [['id', 'ASC']], limit: 500 });
  let expired = 0;
  for (const order of stale) {
    try {
      await ctx.sequelize.transaction(async (transaction) => {
        await moveOrder(ctx, order, 'expired', { note: `Not paid within ${hours} hours`, transaction });
        await settleGroup(order.group_id, transaction);
      });
      expired++;
    } catch (error) {
      // Paid or cancelled meanwhile: nothing to expire.
      if (!(error instanceof IllegalTransition)) throw error;
    }
  }
  return expired;
}

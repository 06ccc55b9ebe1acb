import { Op, type Transaction } from 'sequelize';
import type { PluginContext } from '@agora/core';
import { CheckoutGroup } from '../models/checkout-group';
import { Order } from '../models/order';
import { IllegalTransition, moveOrder } from './order-state';

// Refunds live with the payments; these names stay importable from here for the routes that used them.
export { RefundProblem, refundOrder, refundableLeft, type RefundInput, type RefundOutcome } from '../payments/refunds';

type Ctx = { hooks: Pick<PluginContext['hooks'], 'do' | 'apply'> } & Pick<PluginContext, 'log' | 'sequelize'>;

/** Sets the group's status from its orders once none of them waits for payment any more. */
export async function settleGroup(groupId: number, transaction: Transaction): Promise<void> {
  const orders = await Order.findAll({ where: { group_id: groupId }, attributes: ['status'], transaction });
  if (orders.some((o) => o.status === 'pending')) return;
  const paid = orders.some((o) => o.status !== 'cancelled' && o.status !== 'expired');
  const status = paid ? 'paid' : orders.every((o) => o.status === 'expired') ? 'expired' : 'cancelled';
  // A group in review keeps that status until an admin decides (resolveReview).
  await CheckoutGroup.update({ status }, { where: { id: groupId, status: { [Op.ne]: 'needs_review' } }, transaction });
}

/** Marks one order paid (the seller confirming a manual payment), and the group once all its orders are. */
export async function markOrderPaid(ctx: Ctx, order: Order, actorId: number | null, note = ''): Promise<void> {
  await ctx.sequelize.transaction(async (transaction) => {
    await moveOrder(ctx, order, 'paid', { actorId, note: note || 'Payment received', transaction });
    await settleGroup(order.group_id, transaction);
  });
}

/**
 * An admin's decision on a group in review: `accept` takes the provider's payment as the checkout's
 * (its pending orders are paid), `cancel` cancels them (the money is refunded at the provider). Only a
 * group still in review is decided, by a conditional update, so two admins cannot both decide.
 */
export async function resolveReview(ctx: Ctx, groupId: number, decision: 'accept' | 'cancel', actorId: number, note: string): Promise<boolean> {
  return ctx.sequelize.transaction(async (transaction) => {
    const [n] = await CheckoutGroup.update({ status: 'pending' }, { where: { id: groupId, status: 'needs_review' }, transaction });
    if (n !== 1) return false;
    const pending = await Order.findAll({ where: { group_id: groupId, status: 'pending' }, order: [['id', 'ASC']], transaction });
    const to = decision === 'accept' ? 'paid' : 'cancelled';
    const text = `${decision === 'accept' ? 'Payment accepted' : 'Cancelled'} after review${note ? `: ${note}` : ''}`;
    for (const order of pending) await moveOrder(ctx, order, to, { actorId, note: text.slice(0, 500), transaction });
    await settleGroup(groupId, transaction);
    // No order was waiting (they had expired): the group ends as its orders are.
    if (pending.length === 0) await CheckoutGroup.update({ status: decision === 'accept' ? 'paid' : 'cancelled' }, { where: { id: groupId, status: 'pending' }, transaction });
    return true;
  });
}

/** Pending orders older than `hours`, expired; used by the expiry job and its sweep. Groups in review wait for the admin. */
export async function expirePending(ctx: Ctx, hours: number, groupId?: number): Promise<number> {
  const cutoff = new Date(Date.now() - hours * 3600_000);
  const where = { status: 'pending', created_at: { [Op.lt]: cutoff }, ...(groupId ? { group_id: groupId } : {}) };
  const stale = await Order.findAll({ where, order: [['id', 'ASC']], limit: 500 });
  const inReview = new Set(
    (await CheckoutGroup.findAll({ where: { id: [...new Set(stale.map((o) => o.group_id))], status: 'needs_review' }, attributes: ['id'] })).map((g) => g.id),
  );
  let expired = 0;
  for (const order of stale.filter((o) => !inReview.has(o.group_id))) {
    try {
      await ctx.sequelize.transaction(async (transaction) => {
        // Checked again inside the transaction: a webhook may have put the group in review meanwhile.
        const group = await CheckoutGroup.findByPk(order.group_id, { attributes: ['id', 'status'], transaction });
        if (group?.status === 'needs_review') return;
        await moveOrder(ctx, order, 'expired', { note: `Not paid within ${hours} hours`, transaction });
        await settleGroup(order.group_id, transaction);
        expired++;
      });
    } catch (error) {
      // Paid or cancelled meanwhile: nothing to expire.
      if (!(error instanceof IllegalTransition)) throw error;
    }
  }
  return expired;
}

/** The next payment attempt of a group (the buyer tries again): a new idempotency key for the provider. */
export async function nextAttempt(groupId: number, transaction?: Transaction): Promise<number> {
  const group = await CheckoutGroup.findByPk(groupId, { attributes: ['id', 'attempt'], transaction });
  if (!group) throw new Error(`No checkout group ${groupId}`);
  // Conditional on the attempt read, so two retries at once do not share a number.
  const [n] = await CheckoutGroup.update({ attempt: group.attempt + 1 }, { where: { id: groupId, attempt: group.attempt }, transaction });
  if (n !== 1) return nextAttempt(groupId, transaction);
  return group.attempt + 1;
}

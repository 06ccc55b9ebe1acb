import { Op } from 'sequelize';
import type { PluginContext } from '@agora/core';
import { stripeClient, stripeErrorText } from '../client';
import { StripeAccount, StripeLedgerEntry, StripePayment, StripeTransfer } from '../models';
import type { StripeSettings } from '../settings';
import { entry, moneyOfOrder, refundSplit, sellerEarnings, sum } from './ledger';

/** A transfer claimed this long ago and never finished (the instance died): another run may take it. */
const STALE_CLAIM_MS = 10 * 60_000;

/**
 * Sends one order's seller share to the shop's connected account. One conditional update claims the row
 * (pending → sending), so two runs of the job at once send it once; the call carries our idempotency key,
 * so a run after a crash that did reach Stripe gets the same transfer back.
 */
export async function sendTransfer(ctx: PluginContext, settings: StripeSettings, transferId: number): Promise<void> {
  const [claimed] = await StripeTransfer.update(
    { status: 'sending', claimed_at: new Date() },
    { where: { id: transferId, [Op.or]: [{ status: 'pending' }, { status: 'sending', claimed_at: { [Op.lt]: new Date(Date.now() - STALE_CLAIM_MS) } }] } },
  );
  if (claimed !== 1) return;
  const transfer = (await StripeTransfer.findByPk(transferId))!;
  await transfer.increment('attempts');
  const [payment, account] = await Promise.all([StripePayment.findByPk(transfer.payment_id), transfer.account_row_id ? StripeAccount.findByPk(transfer.account_row_id) : null]);
  const share = payment?.orders_json.find((o) => o.orderId === transfer.order_id);
  if (!payment || !account || !share) {
    await transfer.update({ status: 'manual', failure: 'The payment or the connected account is gone: pay this order by hand' });
    return;
  }
  // Refunds made before the transfer went out are taken off it rather than reversed later.
  const amount = sellerEarnings(await moneyOfOrder(transfer.order_id));
  if (amount <= 0) {
    await transfer.update({ status: 'skipped', amount: 0, failure: null });
    return;
  }
  const stripe = await stripeClient(settings);
  try {
    let charge = payment.charge_id;
    if (!charge && payment.payment_intent_id) {
      const intent = await stripe.paymentIntents.retrieve(payment.payment_intent_id);
      charge = typeof intent.latest_charge === 'string' ? intent.latest_charge : (intent.latest_charge?.id ?? null);
      if (charge) await payment.update({ charge_id: charge });
    }
    const made = await stripe.transfers.create(
      {
        amount,
        currency: transfer.currency.toLowerCase(),
        destination: account.account_id,
        transfer_group: payment.reference,
        ...(charge ? { source_transaction: charge } : {}),
        metadata: { agora_order: share.number, agora_order_id: String(share.orderId), agora_group_id: String(payment.group_id) },
      },
      { idempotencyKey: `agora-transfer-order-${transfer.order_id}` },
    );
    await ctx.sequelize.transaction(async () => {
      await transfer.update({ status: 'paid', amount: made.amount, transfer_id: made.id, failure: null });
      await entry({ key: `transfer:${transfer.order_id}`, kind: 'transfer', orderId: transfer.order_id, shopId: transfer.shop_id, paymentId: payment.id, amount: made.amount, currency: payment.currency, stripeRef: made.id });
    });
  } catch (error) {
    // Back to pending: the job's next attempt claims it again (with the same idempotency key).
    await transfer.update({ status: 'pending', claimed_at: null, failure: stripeErrorText(error) });
    throw error;
  }
}

export interface RefundSplitPayload {
  refundId: number;
  orderId: number;
  amount: number;
  refundRef: string | null;
}

/**
 * After a refund Stripe confirmed: the refund and the platform's part of it in the ledger, and the
 * seller's part reversed from the transfer when one was made (proportionally, with its own key).
 */
export async function splitRefund(ctx: PluginContext, settings: StripeSettings, p: RefundSplitPayload): Promise<void> {
  const transfer = await StripeTransfer.findOne({ where: { order_id: p.orderId } });
  // Every order paid through Stripe has its transfer row (pending, paid or by hand); without one it was not.
  const payment = transfer ? await StripePayment.findByPk(transfer.payment_id) : null;
  const share = payment?.orders_json.find((o) => o.orderId === p.orderId);
  if (!payment || !share || !transfer) return;
  const own = new Set([`refund:${p.refundId}`, `fee_refund:${p.refundId}`, `reversal:${p.refundId}`]);
  const entries = await StripeLedgerEntry.findAll({ where: { order_id: p.orderId } });
  const before = sum(entries.filter((e) => !own.has(e.entry_key)));
  // Cumulative, so several partial refunds never take back more than the seller's share of the total.
  const split = refundSplit(share.total, share.platformFee, before.refund + p.amount);
  const sellerPart = Math.max(0, Math.min(p.amount, split.seller - (before.refund - before.feeRefund)));
  const common = { orderId: p.orderId, shopId: share.shopId, paymentId: payment.id, currency: payment.currency };
  await ctx.sequelize.transaction(async () => {
    await entry({ ...common, key: `refund:${p.refundId}`, kind: 'refund', amount: p.amount, stripeRef: p.refundRef });
    await entry({ ...common, key: `fee_refund:${p.refundId}`, kind: 'fee_refund', amount: p.amount - sellerPart });
  });
  // Only money that reached the seller is reversed; a pending transfer is sent smaller instead.
  const fresh = await StripeTransfer.findByPk(transfer.id);
  if (fresh?.status !== 'paid' || !fresh.transfer_id) return;
  const reversal = Math.min(sellerPart, fresh.amount - fresh.reversed);
  if (reversal <= 0 || entries.some((e) => e.entry_key === `reversal:${p.refundId}`)) return;
  const made = await (await stripeClient(settings)).transfers.createReversal(
    fresh.transfer_id,
    { amount: reversal, metadata: { agora_order_id: String(p.orderId), agora_refund_id: String(p.refundId) } },
    { idempotencyKey: `agora-reversal-refund-${p.refundId}` },
  );
  await ctx.sequelize.transaction(async () => {
    if (await entry({ ...common, key: `reversal:${p.refundId}`, kind: 'reversal', amount: made.amount, stripeRef: made.id })) await fresh.increment('reversed', { by: made.amount });
  });
}

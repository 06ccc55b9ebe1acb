import { Op, col, fn } from 'sequelize';
import type { PluginContext } from '@agora/core';
import { payoutAccountOf } from '../../shops/payments';
import { StripeAccount, StripeLedgerEntry, StripeTransfer, type StripePayment } from '../models';
import { accountEnabled } from '../models/stripe-account';
import type { LedgerKind } from '../models/stripe-ledger-entry';
import type { StripeSettings } from '../settings';

export const TRANSFER_JOB = 'stripe.transfer';

/** Writes an entry once: its key is unique, so a cause told twice (a replay, a retried job) adds nothing. */
export async function entry(fields: { key: string; kind: LedgerKind; orderId: number | null; shopId: number; paymentId: number | null; amount: number; currency: string; stripeRef?: string | null }): Promise<boolean> {
  if (fields.amount <= 0) return false;
  const [, created] = await StripeLedgerEntry.findOrCreate({
    where: { entry_key: fields.key },
    defaults: { entry_key: fields.key, kind: fields.kind, order_id: fields.orderId, shop_id: fields.shopId, payment_id: fields.paymentId, amount: fields.amount, currency: fields.currency, stripe_ref: fields.stripeRef ?? null },
  });
  return created;
}

/**
 * The orders just paid through Stripe: sale and platform fee in the ledger, and the seller's share on its
 * way: a transfer job for a shop whose connected account Stripe enabled, or marked for payout by hand.
 * Runs inside the webhook's transaction (the job is committed with it) and is safe to run again.
 */
export async function recordSale(ctx: PluginContext, settings: StripeSettings, payment: StripePayment, orderIds: number[]): Promise<void> {
  for (const share of payment.orders_json.filter((o) => orderIds.includes(o.orderId))) {
    const common = { orderId: share.orderId, shopId: share.shopId, paymentId: payment.id, currency: payment.currency };
    // A platform coupon is the platform's cost: the shop's sale is what it sold for before it (docs/shops-coupons.md).
    await entry({ ...common, key: `sale:${share.orderId}`, kind: 'sale', amount: share.total + (share.platformDiscount ?? 0) });
    await entry({ ...common, key: `fee:${share.orderId}`, kind: 'fee', amount: share.platformFee });
    if (await StripeTransfer.findOne({ where: { order_id: share.orderId } })) continue;
    const account = settings.connectPayouts ? await StripeAccount.findOne({ where: { shop_id: share.shopId } }) : null;
    const linked = account ? await payoutAccountOf(share.shopId) : null;
    const viaStripe = !!account && accountEnabled(account) && linked?.account === account.account_id;
    const transfer = await StripeTransfer.create({
      order_id: share.orderId,
      shop_id: share.shopId,
      payment_id: payment.id,
      account_row_id: viaStripe ? account!.id : null,
      status: viaStripe ? 'pending' : 'manual',
      amount: share.total + (share.platformDiscount ?? 0) - share.platformFee,
      currency: payment.currency,
    });
    if (viaStripe) await ctx.jobs.enqueue(TRANSFER_JOB, { transferId: transfer.id }, { dedupeKey: `stripe.transfer:${share.orderId}` });
  }
}

export interface OrderMoney {
  sale: number;
  fee: number;
  refund: number;
  feeRefund: number;
  transfer: number;
  reversal: number;
  manualPayout: number;
}

const ZERO: OrderMoney = { sale: 0, fee: 0, refund: 0, feeRefund: 0, transfer: 0, reversal: 0, manualPayout: 0 };
const FIELD: Record<LedgerKind, keyof OrderMoney> = { sale: 'sale', fee: 'fee', refund: 'refund', fee_refund: 'feeRefund', transfer: 'transfer', reversal: 'reversal', manual_payout: 'manualPayout' };

export function sum(entries: StripeLedgerEntry[]): OrderMoney {
  const out = { ...ZERO };
  for (const e of entries) out[FIELD[e.kind]] += e.amount;
  return out;
}

/** What the seller earned: the sale less the platform fee, less the seller's part of every refund. */
export const sellerEarnings = (m: OrderMoney): number => m.sale - m.fee - (m.refund - m.feeRefund);
/** What the platform keeps: the fee less its part of the refunds. */
export const platformNet = (m: OrderMoney): number => m.fee - m.feeRefund;
/** What the seller has received so far: transfers less reversals, plus payouts by hand. */
export const paidOut = (m: OrderMoney): number => m.transfer - m.reversal + m.manualPayout;
/** Earned and not yet received. */
export const owed = (m: OrderMoney): number => sellerEarnings(m) - paidOut(m);

export async function moneyOfOrder(orderId: number): Promise<OrderMoney> {
  return sum(await StripeLedgerEntry.findAll({ where: { order_id: orderId } }));
}

export interface ShopBalance {
  shopId: number;
  currency: string;
  money: OrderMoney;
}

/** Per shop and currency, what it earned, received and is owed. */
export async function balances(shopId?: number): Promise<ShopBalance[]> {
  // Summed by the database (the shop_id index), not by loading every entry a shop ever had: the seller's
  // dashboard asks on every view. In the order each shop and currency first appeared, as before.
  const rows = (await StripeLedgerEntry.findAll({
    where: shopId ? { shop_id: shopId } : { shop_id: { [Op.ne]: 0 } },
    attributes: ['shop_id', 'currency', 'kind', [fn('SUM', col('amount')), 'total'], [fn('MIN', col('id')), 'first']],
    group: ['shop_id', 'currency', 'kind'],
    raw: true,
  })) as unknown as Array<{ shop_id: number; currency: string; kind: LedgerKind; total: number | string; first: number | string }>;
  const by = new Map<string, ShopBalance & { first: number }>();
  for (const row of rows) {
    const k = `${row.shop_id}|${row.currency}`;
    let balance = by.get(k);
    if (!balance) by.set(k, (balance = { shopId: Number(row.shop_id), currency: row.currency, money: { ...ZERO }, first: Number(row.first) }));
    balance.money[FIELD[row.kind]] += Number(row.total);
    balance.first = Math.min(balance.first, Number(row.first));
  }
  return [...by.values()].sort((a, b) => a.first - b.first).map(({ first: _first, ...balance }) => balance);
}

/**
 * A refund's split: the seller gives back the transfer's share of it (the share Stripe's own
 * `reverse_transfer` would take, rounded the same way) and the platform the rest, its fee's part.
 */
export function refundSplit(total: number, fee: number, refunded: number): { seller: number; fee: number } {
  if (total <= 0) return { seller: refunded, fee: 0 };
  const seller = Math.round(((total - fee) * refunded) / total);
  return { seller, fee: refunded - seller };
}

import { Op, type Transaction } from 'sequelize';
import { formatMoney } from '@agora/core';
import { Coupon } from '../models/coupon';
import { CouponRedemption } from '../models/coupon-redemption';
import { allocate, rateText } from './order-pricing';
import { percentOf } from './pricing';

/** The codes a buyer applied in the cart: one per shop and one of the platform, kept in the session. */
declare module 'express-session' {
  interface SessionData {
    couponCodes?: string[];
  }
}

export const MAX_CODES = 10;

export function normalCode(raw: string): string {
  return raw.trim().toUpperCase();
}

/** The codes in the session, defensively (a session is data from the past). */
export function sessionCodes(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return [...new Set(raw.filter((c): c is string => typeof c === 'string' && /^[A-Z0-9_-]{2,40}$/.test(c)))].slice(0, MAX_CODES);
}

/** One shop's part of what is bought, as coupons see it. */
export interface CouponShopPart {
  shopId: number;
  lines: Array<{ productId: number; amount: number }>;
}

export interface CouponCheck {
  now: Date;
  currency: string;
  parts: CouponShopPart[];
  buyerId: number | null;
  /** Unknown in the cart of a guest: the per-buyer limit is then checked at checkout. */
  email: string | null;
  transaction?: Transaction;
}

/** "10% off", "€5.00 off". */
export function couponValueText(coupon: Coupon): string {
  return coupon.kind === 'percent' ? `${rateText(coupon.value)} off` : `${formatMoney(coupon.value, coupon.currency ?? 'EUR')} off`;
}

function eligibleLines(coupon: Coupon, parts: CouponShopPart[]): Array<{ shopId: number; index: number; productId: number; amount: number }> {
  const only = new Set(coupon.productIdList());
  const out: Array<{ shopId: number; index: number; productId: number; amount: number }> = [];
  for (const part of parts) {
    if (coupon.shop_id !== null && part.shopId !== coupon.shop_id) continue;
    part.lines.forEach((l, index) => {
      if (only.size === 0 || only.has(l.productId)) out.push({ shopId: part.shopId, index, productId: l.productId, amount: l.amount });
    });
  }
  return out;
}

/** Uses of the coupon by this buyer (their account, or their email) that were not given back. */
async function usesBy(coupon: Coupon, buyerId: number | null, email: string | null, transaction?: Transaction): Promise<number> {
  const who = [...(buyerId ? [{ buyer_id: buyerId }] : []), ...(email ? [{ email: email.toLowerCase() }] : [])];
  if (who.length === 0) return 0;
  const rows = await CouponRedemption.findAll({ where: { coupon_id: coupon.id, status: 'applied', [Op.or]: who }, attributes: ['group_id'], transaction });
  return new Set(rows.map((r) => r.group_id)).size;
}

/** Why the coupon cannot be used on this basket now, or undefined when it can. */
export async function couponProblem(coupon: Coupon, check: CouponCheck): Promise<string | undefined> {
  const code = coupon.code;
  if (!coupon.active) return `The code ${code} is no longer valid.`;
  if (coupon.starts_at && coupon.starts_at.getTime() > check.now.getTime()) return `The code ${code} is valid from ${coupon.starts_at.toISOString().slice(0, 10)}.`;
  if (coupon.ends_at && coupon.ends_at.getTime() <= check.now.getTime()) return `The code ${code} expired on ${coupon.ends_at.toISOString().slice(0, 10)}.`;
  if (coupon.kind === 'fixed' && coupon.currency && coupon.currency !== check.currency) return `The code ${code} is for prices in ${coupon.currency}.`;
  if (coupon.shop_id !== null && !check.parts.some((p) => p.shopId === coupon.shop_id)) return `The code ${code} is for a shop that has nothing in your cart.`;
  const lines = eligibleLines(coupon, check.parts);
  if (lines.length === 0) return `The code ${code} applies to none of the products in your cart.`;
  const basket = check.parts.filter((p) => coupon.shop_id === null || p.shopId === coupon.shop_id).reduce((s, p) => s + p.lines.reduce((t, l) => t + l.amount, 0), 0);
  if (basket < coupon.min_subtotal) return `The code ${code} needs an order of at least ${formatMoney(coupon.min_subtotal, check.currency)}${coupon.shop_id !== null ? ' in its shop' : ''}.`;
  if (coupon.usage_limit !== null && coupon.used_count >= coupon.usage_limit) return `The code ${code} has been used up.`;
  if (coupon.per_buyer_limit !== null && (check.buyerId || check.email)) {
    if ((await usesBy(coupon, check.buyerId, check.email, check.transaction)) >= coupon.per_buyer_limit) {
      return coupon.per_buyer_limit === 1 ? `You have already used the code ${code}.` : `You have already used the code ${code} ${coupon.per_buyer_limit} times.`;
    }
  }
  return undefined;
}

/** The coupons named by the codes, in a stable order: the shops' first, then the platform's. */
export async function couponsFor(codes: string[], transaction?: Transaction): Promise<Coupon[]> {
  if (codes.length === 0) return [];
  const found = await Coupon.findAll({ where: { code: codes }, transaction });
  return found.sort((a, b) => (a.shop_id === null ? 1 : 0) - (b.shop_id === null ? 1 : 0) || a.id - b.id);
}

/** What each coupon takes off each line: shopId → per line { seller, platform }, and each coupon's amount per shop. */
export interface Discounts {
  perLine: Map<number, Array<{ seller: number; platform: number }>>;
  /** couponId → shopId → amount. */
  byCoupon: Map<number, Map<number, number>>;
}

/**
 * Spreads the coupons over the lines (docs/shops-coupons.md): the shop's coupon first, on the lines' amounts;
 * the platform's on what is left of them. A percent is taken of the eligible amount once, then spread, so the
 * parts add up to exactly what the coupon says.
 */
export function discountsFor(coupons: Coupon[], parts: CouponShopPart[]): Discounts {
  const perLine = new Map(parts.map((p) => [p.shopId, p.lines.map(() => ({ seller: 0, platform: 0 }))]));
  const byCoupon = new Map<number, Map<number, number>>();
  for (const coupon of coupons) {
    const platform = coupon.shop_id === null;
    const lines = eligibleLines(coupon, parts).map((l) => {
      const taken = perLine.get(l.shopId)![l.index];
      return { ...l, left: l.amount - taken.seller - taken.platform };
    });
    const eligible = lines.reduce((s, l) => s + l.left, 0);
    const wanted = coupon.kind === 'percent' ? percentOf(eligible, coupon.value / 100) : Math.min(coupon.value, eligible);
    const split = allocate(wanted, lines.map((l) => l.left));
    const perShop = new Map<number, number>();
    lines.forEach((l, i) => {
      const taken = perLine.get(l.shopId)![l.index];
      if (platform) taken.platform += split[i];
      else taken.seller += split[i];
      perShop.set(l.shopId, (perShop.get(l.shopId) ?? 0) + split[i]);
    });
    byCoupon.set(coupon.id, perShop);
  }
  return { perLine, byCoupon };
}

export class CouponUsedUp extends Error {
  constructor(readonly code: string) {
    super(`The code ${code} has just been used up; remove it from your cart to check out.`);
  }
}

/**
 * Counts each coupon once for this checkout, inside the order's transaction, by a conditional update
 * against its limit (so a limit of 1 holds under racing checkouts), and records what it took off each order.
 */
export async function redeemCoupons(
  coupons: Coupon[],
  discounts: Discounts,
  placed: { groupId: number; buyerId: number | null; email: string; orders: Array<{ id: number; shop_id: number }> },
  transaction: Transaction,
): Promise<void> {
  for (const coupon of [...coupons].sort((a, b) => a.id - b.id)) {
    const [n] = await Coupon.update(
      { used_count: Coupon.sequelize!.literal('used_count + 1') as unknown as number },
      { where: { id: coupon.id, active: true, [Op.or]: [{ usage_limit: null }, { usage_limit: { [Op.gt]: Coupon.sequelize!.col('used_count') } }] }, transaction },
    );
    if (n !== 1) throw new CouponUsedUp(coupon.code);
    if (coupon.per_buyer_limit !== null && (await usesBy(coupon, placed.buyerId, placed.email, transaction)) >= coupon.per_buyer_limit) {
      throw new CouponUsedUp(coupon.code);
    }
    const perShop = discounts.byCoupon.get(coupon.id) ?? new Map<number, number>();
    for (const order of placed.orders) {
      const amount = perShop.get(order.shop_id);
      if (amount === undefined) continue;
      await CouponRedemption.create({ coupon_id: coupon.id, order_id: order.id, group_id: placed.groupId, buyer_id: placed.buyerId, email: placed.email.toLowerCase(), amount }, { transaction });
    }
  }
}

/**
 * An order cancelled or expired before it was paid gives its uses back: its redemptions are released (a
 * conditional update, once), and a coupon's count goes down when no other order of the checkout still holds it.
 */
export async function releaseCoupons(orderId: number, transaction: Transaction): Promise<void> {
  const held = await CouponRedemption.findAll({ where: { order_id: orderId, status: 'applied' }, transaction });
  for (const r of held) {
    const [n] = await CouponRedemption.update({ status: 'released' }, { where: { id: r.id, status: 'applied' }, transaction });
    if (n !== 1) continue;
    const still = await CouponRedemption.count({ where: { coupon_id: r.coupon_id, group_id: r.group_id, status: 'applied' }, transaction });
    if (still === 0) await Coupon.update({ used_count: Coupon.sequelize!.literal('used_count - 1') as unknown as number }, { where: { id: r.coupon_id, used_count: { [Op.gt]: 0 } }, transaction });
  }
}

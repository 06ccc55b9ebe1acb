import { User, type PluginContext } from '@agora/core';
import type {} from '../../shops/service';
import type { PurchasedItem } from '../../shops/service';
import { Review } from '../models';

/** One mailbox however it is written: lower case, without a "+tag" (ada+shop@x and Ada@x are one person). */
export function mailboxOf(email: string): string {
  const [local, domain] = email.trim().toLowerCase().split('@');
  return `${(local ?? '').split('+')[0]}@${domain ?? ''}`;
}

/**
 * Whether the person runs the shop: a member, or an account at the same mailbox as a member (a seller's
 * second account must not praise their own products).
 */
export async function runsShop(ctx: PluginContext, user: { id: number; email: string }, shopId: number): Promise<boolean> {
  const members = await ctx.service('shops').shopMembers(shopId);
  if (members.some((m) => m.userId === user.id)) return true;
  if (!members.length) return false;
  const emails = await User.findAll({ where: { id: members.map((m) => m.userId) }, attributes: ['email'] });
  const mine = mailboxOf(user.email);
  return emails.some((u) => mailboxOf(u.email) === mine);
}

export type Eligibility =
  | { ok: true; items: PurchasedItem[] }
  | { ok: false; reason: 'not_bought' | 'all_reviewed' | 'seller'; message: string };

/** The lines of paid orders of this product the person has not reviewed yet; or why they cannot review it. */
export async function reviewableItems(ctx: PluginContext, user: { id: number; email: string }, product: { id: number; shopId: number }): Promise<Eligibility> {
  if (await runsShop(ctx, user, product.shopId)) return { ok: false, reason: 'seller', message: 'You cannot review the products of a shop you run.' };
  const bought = await ctx.service('shops').paidOrderItems(user.id, product.id);
  if (!bought.length) return { ok: false, reason: 'not_bought', message: 'Only buyers of this product can review it: it must be in one of your paid orders.' };
  const done = await Review.findAll({ where: { order_item_id: bought.map((b) => b.orderItemId) }, attributes: ['order_item_id'] });
  const reviewed = new Set(done.map((r) => r.order_item_id));
  const items = bought.filter((b) => !reviewed.has(b.orderItemId));
  if (!items.length) return { ok: false, reason: 'all_reviewed', message: 'You have already reviewed every order of this product.' };
  return { ok: true, items };
}

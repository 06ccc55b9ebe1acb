import type { PluginContext } from '@agora/core';
import type { Conversation } from '../models/conversation';
import { AdminRead } from '../models/admin-read';

export const READ_ALL = 'messaging.read_all';

/**
 * How a person takes part in a conversation: `buyer` (the customer's side), `seller` (a member of the shop),
 * `staff` (an admin answering a store ticket: the store's side) or `admin` (an admin reading someone else's
 * conversation, which is logged). Nobody else may see it.
 */
export type Side = 'buyer' | 'seller' | 'staff' | 'admin';

export async function sideOf(ctx: PluginContext, user: Express.User | undefined, conversation: Conversation): Promise<Side | undefined> {
  if (!user) return undefined;
  if (conversation.buyer_id === user.id) return 'buyer';
  const admin = await ctx.capabilities.can(user, READ_ALL);
  if (conversation.kind === 'store') return admin ? 'staff' : undefined;
  // A conversation held for review is not shown to the shop until an admin releases it.
  if (!conversation.held && conversation.shop_id !== null && (await ctx.service('shops').memberShopIds(user.id)).includes(conversation.shop_id)) return 'seller';
  return admin ? 'admin' : undefined;
}

/** Which column counts what a side has not read yet: the buyer's, or the shop's (the store team's for a ticket). */
export function unreadColumn(side: Side): 'buyer_unread' | 'seller_unread' | undefined {
  if (side === 'buyer') return 'buyer_unread';
  if (side === 'seller' || side === 'staff') return 'seller_unread';
  return undefined;
}

/** An admin reading a conversation they are no party to: one row per reading. */
export async function logAdminRead(conversationId: number, adminId: number): Promise<void> {
  await AdminRead.create({ conversation_id: conversationId, admin_id: adminId });
}

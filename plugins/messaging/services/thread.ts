import { User, type PluginContext } from '@agora/core';
import type { Conversation } from '../models/conversation';
import { Message } from '../models/message';
import { Attachment } from '../models/attachment';
import { AdminRead } from '../models/admin-read';
import type { Side } from './access';

export interface ThreadEntry {
  kind: 'message' | 'note';
  id: number;
  /** Who wrote it, as the viewer sees them: a display name, a shop's name, "The store team"; never an address. */
  author: string;
  side: 'buyer' | 'seller' | 'admin';
  mine: boolean;
  body: string;
  removed: boolean;
  at: Date;
  attachments: Array<{ id: number; name: string; type: string; size: number; image: boolean }>;
}

export interface ThreadView {
  entries: ThreadEntry[];
  shopName: string | null;
  shopUrl: string | null;
  product: { title: string; url: string } | null;
  order: { number: string } | null;
  /** The other side as this viewer sees it. */
  counterpart: string;
  adminReads: Array<{ at: Date; admin: string }>;
}

const STATUS_LABELS: Record<string, string> = { open: 'Open', waiting_buyer: 'Waiting for the buyer', waiting_seller: 'Waiting for the seller', closed: 'Closed' };
export const statusLabel = (status: string, kind: Conversation['kind']): string =>
  kind === 'store' && status === 'waiting_seller' ? 'Waiting for the store' : (STATUS_LABELS[status] ?? status);

/** The thread as one timeline: its messages and, for an order, the order's notes from shops, by time. */
export async function buildThread(ctx: PluginContext, conversation: Conversation, viewer: { id: number | null; side: Side }): Promise<ThreadView> {
  const shops = ctx.service('shops');
  const messages = await Message.findAll({ where: { conversation_id: conversation.id }, order: [['created_at', 'ASC'], ['id', 'ASC']] });
  const attachments = await Attachment.findAll({ where: { conversation_id: conversation.id }, order: [['id', 'ASC']] });
  const shop = conversation.shop_id !== null ? await shops.shopCard(conversation.shop_id) : undefined;
  const product = conversation.product_id !== null ? await shops.productCard(conversation.product_id) : undefined;
  const parties = conversation.order_id !== null ? await shops.orderParties(conversation.order_id) : undefined;
  const notes = parties ? await shops.orderNotes(parties.orderId) : [];

  const userIds = [...new Set([...messages.map((m) => m.author_id), ...notes.map((n) => n.authorId), conversation.buyer_id].filter((v): v is number => v !== null))];
  const names = new Map((userIds.length ? await User.findAll({ where: { id: userIds }, attributes: ['id', 'display_name'] }) : []).map((u) => [u.id, u.display_name]));
  const teamName = conversation.kind === 'store' ? 'The store team' : 'Marketplace team (admin)';
  const nameOf = (side: 'buyer' | 'seller' | 'admin', authorId: number | null): string => {
    if (side === 'seller') return shop?.name ?? 'The seller';
    if (side === 'admin') return teamName;
    if (authorId === null) return conversation.guest_name ?? 'Former customer';
    return names.get(authorId) ?? 'Former customer';
  };

  const entries: ThreadEntry[] = messages.map((m) => ({
    kind: 'message',
    id: m.id,
    author: nameOf(m.author_side, m.author_id),
    side: m.author_side,
    mine: viewer.id !== null && m.author_id === viewer.id,
    body: m.body,
    removed: m.removed,
    at: m.created_at,
    attachments: attachments.filter((a) => a.message_id === m.id).map((a) => ({ id: a.id, name: a.name, type: a.type, size: a.size, image: a.type.startsWith('image/') })),
  }));
  for (const n of notes) {
    entries.push({ kind: 'note', id: n.id, author: nameOf(n.authorSide, n.authorId), side: n.authorSide, mine: viewer.id !== null && n.authorId === viewer.id, body: n.body, removed: false, at: n.createdAt, attachments: [] });
  }
  entries.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.kind === b.kind ? a.id - b.id : a.kind === 'note' ? -1 : 1));

  const buyerName = conversation.buyer_id !== null ? (names.get(conversation.buyer_id) ?? 'Former customer') : (conversation.guest_name ?? 'Former customer');
  const counterpart = viewer.side === 'buyer' ? (conversation.kind === 'store' ? 'The store team' : (shop?.name ?? 'The seller')) : viewer.side === 'admin' ? `${buyerName} and ${shop?.name ?? 'the seller'}` : buyerName;

  let adminReads: ThreadView['adminReads'] = [];
  if (viewer.side === 'admin' || viewer.side === 'staff') {
    const reads = await AdminRead.findAll({ where: { conversation_id: conversation.id }, order: [['id', 'DESC']], limit: 20 });
    const admins = new Map((await User.findAll({ where: { id: reads.map((r) => r.admin_id).filter((v): v is number => v !== null) }, attributes: ['id', 'display_name'] })).map((u) => [u.id, u.display_name]));
    adminReads = reads.map((r) => ({ at: r.created_at, admin: r.admin_id !== null ? (admins.get(r.admin_id) ?? 'A former admin') : 'A former admin' }));
  }

  return {
    entries,
    shopName: shop?.name ?? null,
    shopUrl: shop?.url ?? null,
    product: product ? { title: product.title, url: product.url } : null,
    order: parties ? { number: parties.number } : null,
    counterpart,
    adminReads,
  };
}

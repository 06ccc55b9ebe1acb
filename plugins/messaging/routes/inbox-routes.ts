import type { Request } from 'express';
import { Op, type WhereOptions } from 'sequelize';
import { pageFrom, pager, requireUser, User, type PluginContext } from '@agora/core';
import { Conversation, CONVERSATION_STATUSES } from '../models/conversation';
import { statusLabel } from '../services/thread';

const PER_PAGE = 20;

export interface InboxRow {
  id: number;
  subject: string;
  status: string;
  statusText: string;
  unread: number;
  lastAt: Date;
  with: string;
  held: boolean;
}

/** `?status=` narrows a list to one status ("waiting for me" is the first thing a seller looks for). */
function statusFilter(req: Request): string | undefined {
  const s = typeof req.query.status === 'string' ? req.query.status : '';
  return (CONVERSATION_STATUSES as readonly string[]).includes(s) ? s : undefined;
}

/** The buyer's "Seller support tickets" and the seller's "Support": the same list, from each side. */
export function inboxRoutes(ctx: PluginContext): void {
  const { router } = ctx;
  const shops = () => ctx.service('shops');

  const shopNames = async (ids: number[]) => new Map(await Promise.all([...new Set(ids)].map(async (id) => [id, (await shops().shopCard(id))?.name ?? 'A former shop'] as const)));

  router.get('/account/messages', requireUser, async (req, res) => {
    const page = pageFrom(req.query, PER_PAGE);
    const status = statusFilter(req);
    const where: WhereOptions<Conversation> = { buyer_id: req.user!.id, ...(status ? { status } : {}) };
    const { rows, count } = await Conversation.findAndCountAll({ where, order: [['last_message_at', 'DESC'], ['id', 'DESC']], limit: page.perPage, offset: page.offset });
    const names = await shopNames(rows.map((r) => r.shop_id).filter((v): v is number => v !== null));
    const list: InboxRow[] = rows.map((c) => ({
      id: c.id,
      subject: c.subject,
      status: c.status,
      statusText: statusLabel(c.status, c.kind),
      unread: c.buyer_unread,
      lastAt: c.last_message_at,
      with: c.kind === 'store' ? 'The store team' : (names.get(c.shop_id!) ?? 'A former shop'),
      held: c.held,
    }));
    await res.renderPage('messaging/inbox', {
      title: 'Seller support tickets',
      side: 'buyer',
      list,
      status,
      statuses: CONVERSATION_STATUSES.map((s) => ({ value: s, label: statusLabel(s, 'shop') })),
      pager: pager('/account/messages', req.query, { page: page.page, perPage: page.perPage, total: count, noun: 'conversations' }),
      navShop: null,
    });
  });

  router.get('/seller/messages', requireUser, async (req, res) => {
    const shopIds = await shops().memberShopIds(req.user!.id);
    if (!shopIds.length) return res.redirect('/seller/open');
    const page = pageFrom(req.query, PER_PAGE);
    const status = statusFilter(req);
    const where: WhereOptions<Conversation> = { kind: 'shop', shop_id: { [Op.in]: shopIds }, held: false, ...(status ? { status } : {}) };
    const { rows, count } = await Conversation.findAndCountAll({ where, order: [['last_message_at', 'DESC'], ['id', 'DESC']], limit: page.perPage, offset: page.offset });
    const buyers = await buyerNames(rows.map((r) => r.buyer_id));
    const list: InboxRow[] = rows.map((c) => ({
      id: c.id,
      subject: c.subject,
      status: c.status,
      statusText: statusLabel(c.status, c.kind),
      unread: c.seller_unread,
      lastAt: c.last_message_at,
      with: c.buyer_id !== null ? (buyers.get(c.buyer_id) ?? 'Former customer') : 'Former customer',
      held: false,
    }));
    const navShop = await shops().shopCard(shopIds[0]);
    await res.renderPage('messaging/inbox', {
      title: 'Support',
      side: 'seller',
      list,
      status,
      statuses: CONVERSATION_STATUSES.map((s) => ({ value: s, label: statusLabel(s, 'shop') })),
      pager: pager('/seller/messages', req.query, { page: page.page, perPage: page.perPage, total: count, noun: 'conversations' }),
      navShop,
    });
  });
}

/** Display names only: the seller never sees a buyer's address. */
export async function buyerNames(ids: Array<number | null>): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((v): v is number => v !== null))];
  const users = wanted.length ? await User.findAll({ where: { id: wanted }, attributes: ['id', 'display_name'] }) : [];
  return new Map(users.map((u) => [u.id, u.display_name]));
}

import { formatMoney, type PluginContext } from '@agora/core';
import type { ShopCard } from '../../shops/service';
import { Follow } from '../models/follow';
import { FollowEvent, type EventKind } from '../models/event';
import { Notification } from '../models/notification';
import { Preference } from '../models/preference';

/** Shop cards by id, for a page of rows naming shops; a shop shops no longer knows is left out. */
export async function shopCards(ctx: PluginContext, shopIds: number[]): Promise<Map<number, ShopCard>> {
  const cards = new Map<number, ShopCard>();
  for (const id of new Set(shopIds)) {
    const card = await ctx.service('shops').shopCard(id);
    if (card) cards.set(id, card);
  }
  return cards;
}

export async function unreadCount(userId: number): Promise<number> {
  return Notification.count({ where: { user_id: userId, read_at: null } });
}

export async function emailEnabled(userId: number): Promise<boolean> {
  return (await Preference.findByPk(userId))?.email_enabled !== false;
}

/** Whether the person wants emails about their favourites (a discount, back in stock); no row: yes. */
export async function favouritesEmailEnabled(userId: number): Promise<boolean> {
  return (await Preference.findByPk(userId))?.favourites_email_enabled !== false;
}

export interface NotificationLine {
  id: number;
  unread: boolean;
  kind: EventKind;
  title: string;
  price: string;
  previousPrice: string | null;
  shop: ShopCard | undefined;
  at: Date;
}

export async function notificationsPage(ctx: PluginContext, userId: number, limit: number, offset: number): Promise<{ lines: NotificationLine[]; total: number }> {
  const { rows, count } = await Notification.findAndCountAll({
    where: { user_id: userId },
    include: [{ model: FollowEvent, as: 'event', required: true }],
    order: [['id', 'DESC']],
    limit,
    offset,
  });
  const withEvent = rows as Array<Notification & { event: FollowEvent }>;
  const shops = await shopCards(ctx, withEvent.map((n) => n.shop_id));
  return {
    total: count,
    lines: withEvent.map((n) => ({
      id: n.id,
      unread: n.read_at === null,
      kind: n.event.kind,
      title: n.event.title,
      price: formatMoney(n.event.price, n.event.currency),
      previousPrice: n.event.previous_price === null ? null : formatMoney(n.event.previous_price, n.event.currency),
      shop: shops.get(n.shop_id),
      at: n.created_at,
    })),
  };
}

export async function followedShops(ctx: PluginContext, userId: number, limit: number, offset: number) {
  const { rows, count } = await Follow.findAndCountAll({ where: { user_id: userId }, order: [['created_at', 'DESC'], ['id', 'DESC']], limit, offset });
  const shops = await shopCards(ctx, rows.map((f) => f.shop_id));
  return {
    total: count,
    follows: rows.flatMap((f) => {
      const shop = shops.get(f.shop_id);
      return shop ? [{ shop, since: f.created_at, emailEnabled: f.email_enabled }] : [];
    }),
  };
}

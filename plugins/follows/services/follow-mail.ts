import { formatMoney, type MailMessage, type PluginContext } from '@agora/core';
import type { FollowEvent } from '../models/event';
import { unfollowUrls } from './unfollow-links';

export interface MailItem {
  kind: 'published' | 'discounted';
  title: string;
  url: string;
  price: string;
  previousPrice: string | null;
}

function subjectFor(shopName: string, items: MailItem[]): string {
  if (items.length > 1) return `${items.length} updates from ${shopName}`;
  const [item] = items;
  return item.kind === 'discounted' ? `${item.title} is now ${item.price} at ${shopName}` : `New from ${shopName}: ${item.title}`;
}

/**
 * The email of one window for one follower: every event in it, a link to change what they get, and a
 * signed unfollow link, also given as `List-Unsubscribe` with one-click POST (RFC 8058). Category
 * marketing: these announce products, so a person who objected to marketing is not sent them.
 */
export async function followMailFor(
  ctx: PluginContext,
  person: { userId: number; email: string; name: string },
  shopId: number,
  events: FollowEvent[],
): Promise<MailMessage | undefined> {
  const shop = await ctx.service('shops').shopCard(shopId);
  if (!shop || !events.length) return undefined;
  const base = ctx.config.baseUrl;
  const items: MailItem[] = events.map((e) => ({
    kind: e.kind,
    title: e.title,
    url: `${base}${e.url}`,
    price: formatMoney(e.price, e.currency),
    previousPrice: e.previous_price === null ? null : formatMoney(e.previous_price, e.currency),
  }));
  const links = unfollowUrls(ctx, person.userId, shopId);
  return {
    to: person.email,
    userId: person.userId,
    category: 'marketing',
    subject: subjectFor(shop.name, items).slice(0, 300),
    template: 'follows/mail/digest',
    data: { name: person.name, shopName: shop.name, shopUrl: `${base}${shop.url}`, items, unfollowUrl: links.page, settingsUrl: `${base}/account/notifications/settings` },
    unsubscribe: { url: links.oneClick },
  };
}

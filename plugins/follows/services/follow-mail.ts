import { formatMoney, type MailMessage, type PluginContext } from '@agora/core';
import type { EventKind, FollowEvent } from '../models/event';
import { favouritesOffUrls, unfollowUrls } from './unfollow-links';

export interface MailItem {
  kind: EventKind;
  title: string;
  url: string;
  price: string;
  previousPrice: string | null;
  /** Told because the person favourited it (not because they follow the shop). */
  favourite: boolean;
}

function subjectFor(shopName: string, items: MailItem[]): string {
  if (items.length > 1) return `${items.length} updates from ${shopName}`;
  const [item] = items;
  if (item.kind === 'restocked') return `${item.title} is back in stock at ${shopName}`;
  return item.kind === 'discounted' ? `${item.title} is now ${item.price} at ${shopName}` : `New from ${shopName}: ${item.title}`;
}

/**
 * The email of one window for one person: every event in it and a link to change what they get. For a
 * follower, a signed unfollow link; for someone told only of favourites (a discount, back in stock), a
 * signed link that turns favourite emails off. That link is also the `unsubscribe` address, which core
 * writes as `List-Unsubscribe` with one-click POST (RFC 8058). Category marketing: these announce
 * products, so a person who objected to marketing is not sent them.
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
    favourite: e.audience === 'favourites',
  }));
  const asFollower = items.some((i) => !i.favourite);
  const links = asFollower ? unfollowUrls(ctx, person.userId, shopId) : favouritesOffUrls(ctx, person.userId);
  return {
    to: person.email,
    userId: person.userId,
    category: 'marketing',
    subject: subjectFor(shop.name, items).slice(0, 300),
    template: 'follows/mail/digest',
    data: { name: person.name, shopName: shop.name, shopUrl: `${base}${shop.url}`, items, asFollower, unfollowUrl: links.page, settingsUrl: `${base}/account/notifications/settings` },
    unsubscribe: { url: links.oneClick },
  };
}

import { readToken, signToken, type PluginContext } from '@agora/core';

// Its own purpose: a token signed for another link of the site (a newsletter's, an order's) is refused here.
const PURPOSE = 'follows.unfollow';

/** The signed token of a follow email's unfollow link: it names the person and the shop, and never expires. */
export function unfollowToken(ctx: PluginContext, userId: number, shopId: number): string {
  return signToken(ctx.config.sessionSecret, PURPOSE, { u: userId, s: shopId });
}

export type UnfollowReading = { ok: true; userId: number; shopId: number } | { ok: false };

export function readUnfollowToken(ctx: PluginContext, token: unknown): UnfollowReading {
  const read = readToken(ctx.config.sessionSecret, PURPOSE, token);
  if (!read.ok) return { ok: false };
  const { u, s } = read.claims;
  if (typeof u !== 'number' || typeof s !== 'number' || !Number.isInteger(u) || !Number.isInteger(s)) return { ok: false };
  return { ok: true, userId: u, shopId: s };
}

/** The page a person opens from the email (a button confirms), and the RFC 8058 one-click address mail clients POST to. */
export function unfollowUrls(ctx: PluginContext, userId: number, shopId: number): { page: string; oneClick: string } {
  const t = encodeURIComponent(unfollowToken(ctx, userId, shopId));
  return { page: `${ctx.config.baseUrl}/follows/unfollow?t=${t}`, oneClick: `${ctx.config.baseUrl}/follows/one-click?t=${t}` };
}

// The link of emails about favourites (a discount, back in stock) to people who may not follow the shop:
// it turns those emails off (unfollowing would not stop them).
const FAVOURITES_OFF = 'follows.favourites-off';

export function readFavouritesOffToken(ctx: PluginContext, token: unknown): { ok: true; userId: number } | { ok: false } {
  const read = readToken(ctx.config.sessionSecret, FAVOURITES_OFF, token);
  if (!read.ok) return { ok: false };
  const { u } = read.claims;
  return typeof u === 'number' && Number.isInteger(u) && u > 0 ? { ok: true, userId: u } : { ok: false };
}

/** The confirmation page and the RFC 8058 one-click address that turn a person's favourite emails off. */
export function favouritesOffUrls(ctx: PluginContext, userId: number): { page: string; oneClick: string } {
  const t = encodeURIComponent(signToken(ctx.config.sessionSecret, FAVOURITES_OFF, { u: userId }));
  return { page: `${ctx.config.baseUrl}/follows/favourite-emails/off?t=${t}`, oneClick: `${ctx.config.baseUrl}/follows/favourite-emails/one-click?t=${t}` };
}

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

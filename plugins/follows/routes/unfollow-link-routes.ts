import type { Response } from 'express';
import type { PluginContext } from '@agora/core';
import { tokenSchema } from '../forms/follow-forms';
import { unfollow } from '../services/follow-service';
import { readUnfollowToken } from '../services/unfollow-links';

export const ONE_CLICK_PATH = '/follows/one-click';

/**
 * The unfollow link of follow emails, which needs no login: the signature is the proof. The link opens a
 * page with one button (a link scanner's GET changes nothing); mail clients POST to the one-click address
 * (RFC 8058), which has no session and no CSRF check (a raw-body path), and acts on the token alone.
 */
export function unfollowLinkRoutes(ctx: PluginContext): void {
  const refused = (res: Response) =>
    res.renderPage('follows/unfollow', { title: 'Link not valid', state: 'invalid', token: '', shop: undefined }, 400);

  ctx.router.get('/follows/unfollow', async (req, res) => {
    const read = readUnfollowToken(ctx, req.query.t);
    const shop = read.ok ? await ctx.service('shops').shopCard(read.shopId) : undefined;
    if (!read.ok || !shop) return refused(res);
    await res.renderPage('follows/unfollow', { title: `Unfollow ${shop.name}`, state: 'confirm', token: String(req.query.t), shop });
  });

  ctx.router.post('/follows/unfollow', async (req, res) => {
    const parsed = tokenSchema.safeParse(req.body);
    const read = parsed.success ? readUnfollowToken(ctx, parsed.data.t) : ({ ok: false } as const);
    const shop = read.ok ? await ctx.service('shops').shopCard(read.shopId) : undefined;
    if (!read.ok || !shop) return refused(res);
    await unfollow(ctx, read.userId, read.shopId);
    await res.renderPage('follows/unfollow', { title: `You no longer follow ${shop.name}`, state: 'done', token: '', shop });
  });

  ctx.http.rawBody(ONE_CLICK_PATH);
  ctx.router.post(ONE_CLICK_PATH, async (req, res) => {
    const read = readUnfollowToken(ctx, req.query.t);
    if (!read.ok) return res.status(400).type('text/plain').send('This unfollow link is not valid.');
    await unfollow(ctx, read.userId, read.shopId);
    res.status(200).type('text/plain').send('Unfollowed. You will get no more emails from this shop.');
  });
}

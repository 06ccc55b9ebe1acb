import type { Response } from 'express';
import type { PluginContext } from '@agora/core';
import { tokenSchema } from '../forms/follow-forms';
import { unfollow } from '../services/follow-service';
import { readFavouritesOffToken, readUnfollowToken } from '../services/unfollow-links';
import { turnFavouriteEmailsOff } from '../services/favourite-service';

export const ONE_CLICK_PATH = '/follows/one-click';
export const FAVOURITES_ONE_CLICK_PATH = '/follows/favourite-emails/one-click';

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

  // The same for emails about favourites: the link turns those emails off, for every shop.
  const offPage = (res: Response, state: 'invalid' | 'confirm' | 'done', token = '') =>
    res.renderPage('follows/favourite-emails-off', { title: state === 'invalid' ? 'Link not valid' : 'Emails about your favourites', state, token }, state === 'invalid' ? 400 : 200);
  ctx.router.get('/follows/favourite-emails/off', async (req, res) => {
    const read = readFavouritesOffToken(ctx, req.query.t);
    await offPage(res, read.ok ? 'confirm' : 'invalid', read.ok ? String(req.query.t) : '');
  });
  ctx.router.post('/follows/favourite-emails/off', async (req, res) => {
    const parsed = tokenSchema.safeParse(req.body);
    const read = parsed.success ? readFavouritesOffToken(ctx, parsed.data.t) : ({ ok: false } as const);
    if (!read.ok) return offPage(res, 'invalid');
    await turnFavouriteEmailsOff(ctx, read.userId);
    await offPage(res, 'done');
  });
  ctx.http.rawBody(FAVOURITES_ONE_CLICK_PATH);
  ctx.router.post(FAVOURITES_ONE_CLICK_PATH, async (req, res) => {
    const read = readFavouritesOffToken(ctx, req.query.t);
    if (!read.ok) return res.status(400).type('text/plain').send('This link is not valid.');
    await turnFavouriteEmailsOff(ctx, read.userId);
    res.status(200).type('text/plain').send('Done. You will get no more emails about your favourites.');
  });
}

import express, { type Response } from 'express';
import type { PluginContext } from '@agora/core';
import type { Subscriptions } from '../services/subscriptions';
import { readUnsubscribe } from '../services/links';
import type { NewsletterSettings } from '../settings';

const ONE_CLICK = '/newsletter/one-click';

/**
 * Leaving the list with the signed link of any newsletter email, no login needed. The email's link opens a
 * page with one button; the `List-Unsubscribe` header's address takes the RFC 8058 one-click POST, which
 * mail clients send without cookies or a CSRF token (a raw-body path: the signed token is the proof).
 */
export function unsubscribeRoutes(ctx: PluginContext, subscriptions: Subscriptions, settings: () => NewsletterSettings): void {
  const { router } = ctx;
  ctx.http.rawBody(ONE_CLICK);

  const invalid = (res: Response) =>
    res.renderPage('newsletter/link-problem', { title: 'This link cannot be used', reason: 'invalid', listName: settings().listName, showForm: false }, 400);

  router.get('/newsletter/unsubscribe', async (req, res) => {
    const hash = readUnsubscribe(ctx, req.query.token);
    if (!hash) return invalid(res);
    await res.renderPage('newsletter/unsubscribe', { title: 'Unsubscribe', listName: settings().listName, action: `${ONE_CLICK}?token=${encodeURIComponent(String(req.query.token))}` });
  });

  // Someone pasting the header's address into a browser gets the page with the button.
  router.get(ONE_CLICK, (req, res) => res.redirect(303, `/newsletter/unsubscribe?token=${encodeURIComponent(String(req.query.token ?? ''))}`));

  router.post(ONE_CLICK, express.raw({ type: () => true, limit: '4kb' }), async (req, res) => {
    const hash = readUnsubscribe(ctx, req.query.token);
    if (!hash) return invalid(res);
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const how = /(^|&)List-Unsubscribe=One-Click(&|$)/.test(body) ? 'one-click from the mail client (List-Unsubscribe-Post)' : 'unsubscribe link in an email';
    await subscriptions.unsubscribe(hash, how, req.ip ?? null);
    await res.renderPage('newsletter/unsubscribed', { title: 'You are unsubscribed', listName: settings().listName });
  });
}

import express from 'express';
import type Stripe from 'stripe';
import type { PluginContext } from '@agora/core';
import { stripeClient } from '../client';
import type { StripeSettings } from '../settings';
import { applyStripeEvent } from '../webhook/apply-event';

/** Stripe's own tolerance: a signature older than this (a replay of a captured request) is refused. */
const TOLERANCE_SECONDS = 300;

/**
 * POST /stripe/webhook, a raw-body route (no session, no CSRF): the signature is checked over the exact
 * bytes with the signing secret, then the event is applied once however often Stripe delivers it.
 */
export function webhookRoute(ctx: PluginContext, settings: () => StripeSettings): void {
  ctx.http.rawBody('/stripe/webhook');
  ctx.router.post('/stripe/webhook', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const s = settings();
    if (!s.webhookSecret || !s.secretKey) return res.status(400).json({ error: 'Stripe is not configured on this site.' });
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.get('stripe-signature') ?? '';
    let event: Stripe.Event;
    try {
      event = (await stripeClient(s)).webhooks.constructEvent(raw, signature, s.webhookSecret, TOLERANCE_SECONDS);
    } catch (error) {
      ctx.log.warn({ reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown' }, 'stripe webhook refused: signature');
      return res.status(400).json({ error: 'The signature could not be verified.' });
    }
    const outcome = await applyStripeEvent(ctx, s, event);
    ctx.log.info({ event: event.id, type: event.type, duplicate: outcome.duplicate }, 'stripe event');
    res.status(200).json({ received: true, duplicate: outcome.duplicate });
  });
}

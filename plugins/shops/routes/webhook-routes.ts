import express from 'express';
import type { PluginContext } from '../../../core/plugins/context';
import { findGateway } from '../payments/gateways';
import { applyWebhook } from '../services/order-payments';

/**
 * POST /payments/:gateway/webhook: a provider tells us about a payment. The body is read raw (core skips
 * its parsers and CSRF under /payments/), the gateway checks the signature and says what happened, and
 * the event is applied once however often it is delivered.
 */
export function webhookRoutes(ctx: PluginContext): void {
  ctx.router.post('/payments/:gateway/webhook', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const gateway = /^[a-z0-9_-]{1,40}$/.test(String(req.params.gateway)) ? await findGateway(ctx, String(req.params.gateway)) : undefined;
    if (!gateway?.parseWebhook) return res.status(404).json({ error: 'No such payment gateway takes webhooks here.' });
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let outcome;
    try {
      outcome = await gateway.parseWebhook(req, raw);
    } catch (error) {
      ctx.log.warn({ gateway: gateway.id, err: error }, 'webhook refused');
      return res.status(400).json({ error: 'The webhook could not be verified.' });
    }
    if (!outcome || typeof outcome.eventId !== 'string' || outcome.eventId === '') return res.status(400).json({ error: 'The webhook has no event id.' });
    const result = await applyWebhook(ctx, gateway.id, outcome);
    res.status(200).json({ received: true, duplicate: result.duplicate });
  });
}

import express from 'express';
import type { PluginContext } from '@agora/core';
import { applyWebhook } from '../payments/apply-webhook';
import type { WebhookOutcome } from '../payments/gateway';
import { findGateway } from '../payments/gateways';

const OUTCOME_TYPES: ReadonlySet<string> = new Set<WebhookOutcome['type']>(['payment_succeeded', 'payment_failed', 'payment_expired', 'refund_settled', 'payout_account_updated', 'ignore']);

const MONEY_TYPES: ReadonlySet<string> = new Set<WebhookOutcome['type']>(['payment_succeeded', 'payment_failed', 'payment_expired', 'refund_settled']);

/** A gateway's parse result is a third party's code: check the shape before acting on it. */
function wellFormed(outcome: WebhookOutcome | undefined): outcome is WebhookOutcome {
  if (!outcome || typeof outcome.eventId !== 'string' || outcome.eventId === '' || outcome.eventId.length > 200 || !OUTCOME_TYPES.has(outcome.type)) return false;
  if (MONEY_TYPES.has(outcome.type)) {
    const money = outcome as { amount?: unknown; currency?: unknown; groupId?: unknown; orderId?: unknown };
    if (!(Number.isInteger(money.amount) && (money.amount as number) >= 0 && typeof money.currency === 'string' && /^[A-Za-z]{3}$/.test(money.currency))) return false;
    const id = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) > 0);
    if (!id(money.groupId) || !id(money.orderId) || (money.groupId === undefined && money.orderId === undefined)) return false;
  }
  if ('providerRef' in outcome && typeof outcome.providerRef !== 'string') return false;
  return true;
}

/**
 * POST /payments/:gateway/webhook: a provider tells us about a payment. The body is read raw here (the
 * shops plugin declares `/payments/` raw with ctx.http.rawBody, so core's parsers, session and CSRF stay
 * out), the gateway checks the signature over `{ rawBody, headers }` and says what happened, and the event
 * is applied once however often it is delivered.
 */
export function webhookRoutes(ctx: PluginContext): void {
  ctx.router.post('/payments/:gateway/webhook', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const gateway = /^[a-z0-9_-]{1,40}$/.test(String(req.params.gateway)) ? await findGateway(ctx, String(req.params.gateway)) : undefined;
    if (!gateway?.parseWebhook) return res.status(404).json({ error: 'No such payment gateway takes webhooks here.' });
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let outcome: WebhookOutcome | undefined;
    try {
      outcome = await gateway.parseWebhook({ rawBody, headers: req.headers });
    } catch (error) {
      ctx.log.warn({ gateway: gateway.id, err: error }, 'webhook refused');
      return res.status(400).json({ error: 'The webhook could not be verified.' });
    }
    if (!wellFormed(outcome)) {
      ctx.log.error({ gateway: gateway.id }, 'gateway returned a malformed webhook outcome');
      return res.status(400).json({ error: 'The webhook has no event id or no valid amount.' });
    }
    const result = await applyWebhook(ctx, gateway.id, outcome);
    res.status(200).json({ received: true, duplicate: result.duplicate });
  });
}

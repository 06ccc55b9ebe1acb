import type Stripe from 'stripe';
import { readToken, type PluginContext } from '@agora/core';
import { applyWebhook } from '../../shops/payments';
import { stripeClient, stripeErrorText } from '../client';
import { CANCEL_TOKEN_PURPOSE, STRIPE_GATEWAY_ID } from '../gateway';
import { StripePayment } from '../models';
import type { StripeSettings } from '../settings';

/**
 * GET /stripe/cancel: the buyer pressed "back" on Stripe's page. The session is expired at Stripe first
 * (so it can no longer be paid), then the orders are cancelled (the stock goes back) and the items are
 * put back into the cart, which is where the buyer lands.
 */
export function cancelRoute(ctx: PluginContext, settings: () => StripeSettings): void {
  ctx.router.get('/stripe/cancel', async (req, res) => {
    const reading = readToken(ctx.config.sessionSecret, CANCEL_TOKEN_PURPOSE, req.query.t);
    const payment = reading.ok ? await StripePayment.findByPk(Number(reading.claims.p)) : null;
    if (!payment?.session_id) {
      res.flash('info', 'This payment link is no longer valid. Your orders are under your account, or in the email we sent.');
      return res.redirect(303, '/cart');
    }
    if (payment.status !== 'open') return res.redirect(303, payment.return_url);
    let session: Stripe.Checkout.Session;
    try {
      session = await (await stripeClient(settings())).checkout.sessions.expire(payment.session_id);
    } catch (error) {
      // Paid meanwhile, or Stripe unreachable: nothing is cancelled; the order page says where it stands.
      ctx.log.warn({ payment: payment.id, reason: stripeErrorText(error) }, 'stripe session could not be expired on cancel');
      res.flash('info', 'We could not cancel the payment at Stripe just now; your order page shows where it stands.');
      return res.redirect(303, payment.return_url);
    }
    if (session.status !== 'expired') return res.redirect(303, payment.return_url);
    await ctx.sequelize.transaction(async () => {
      const applied = await applyWebhook(ctx, STRIPE_GATEWAY_ID, {
        type: 'payment_failed',
        eventId: `agora-cancel-${payment.session_id}`,
        amount: payment.amount,
        currency: payment.currency,
        providerRef: payment.session_id!,
        groupId: payment.group_id,
        reason: 'Cancelled by the buyer on the payment page',
      });
      if (applied.applied.length) await payment.update({ status: 'cancelled' });
    });
    const n = await ctx.service('shops').refillCart(req, payment.group_id);
    res.flash('info', n ? 'The payment was cancelled and nothing was charged. Your cart is as you left it.' : 'The payment was cancelled and nothing was charged.');
    res.redirect(303, '/cart');
  });
}

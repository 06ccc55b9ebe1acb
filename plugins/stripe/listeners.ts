import type { PluginContext } from '@agora/core';
import type {} from '../shops/hooks';
import { StripePayment, StripeTransfer } from './models';
import { recordSale } from './services/ledger';
import { REFUND_SPLIT_JOB } from './jobs';
import type { StripeSettings } from './settings';

/**
 * Shops' facts that move a Stripe order's money outside a webhook: an admin accepting a payment in review
 * (orders paid), and every refund Stripe confirmed (the split job takes back the seller's share).
 */
export function stripeListeners(ctx: PluginContext, settings: () => StripeSettings): void {
  ctx.hooks.on('shops.order.paid', async (order) => {
    const payment = await StripePayment.findOne({ where: { group_id: order.group_id, status: ['paid', 'needs_review'] }, order: [['id', 'DESC']] });
    if (payment) await recordSale(ctx, settings(), payment, [order.id]);
  });
  ctx.hooks.on('shops.order.refunded', async (order, refund) => {
    if (!(await StripeTransfer.findOne({ where: { order_id: order.id }, attributes: ['id'] }))) return;
    await ctx.jobs.enqueue(REFUND_SPLIT_JOB, { refundId: refund.id, orderId: order.id, amount: refund.amount, refundRef: refund.provider_ref ?? null }, { dedupeKey: `stripe.refund-split:${refund.id}` });
  });
}

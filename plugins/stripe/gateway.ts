import type Stripe from 'stripe';
import { signToken, type PluginContext } from '@agora/core';
import type { PaymentGateway, PaymentRequest, PaymentStart, PaymentStatus, RefundRequest, RefundResult } from '../shops/payments';
import { stripeClient, stripeErrorText } from './client';
import { StripePayment } from './models';
import { missingSettings, type StripeSettings } from './settings';

export const STRIPE_GATEWAY_ID = 'stripe';
export const CANCEL_TOKEN_PURPOSE = 'stripe.cancel';

/**
 * Line items of the session, one per order line plus each shop's shipping, and the tax when it is added to
 * the prices; their sum is the group's amount. Stripe takes no negative line, so an order with a coupon is
 * one line of its total (its page and invoice show the detail).
 */
export function lineItemsOf(request: PaymentRequest): Stripe.Checkout.SessionCreateParams.LineItem[] {
  const currency = request.currency.toLowerCase();
  const items: Stripe.Checkout.SessionCreateParams.LineItem[] = [];
  for (const order of request.orders) {
    if ((order.discount ?? 0) + (order.platformDiscount ?? 0) > 0) {
      const name = `Order ${order.number} from ${order.shopName} (after discount${order.tax && !order.pricesIncludeTax ? ', tax included' : ''})`;
      items.push({ quantity: 1, price_data: { currency, unit_amount: order.total, product_data: { name: name.slice(0, 250), metadata: { agora_order: order.number, agora_shop_id: String(order.shopId) } } } });
      continue;
    }
    for (const line of order.lines) {
      items.push({
        quantity: line.quantity,
        price_data: { currency, unit_amount: line.unitPrice, product_data: { name: line.title.slice(0, 250) || 'Item', metadata: { agora_order: order.number, agora_shop_id: String(order.shopId) } } },
      });
    }
    if (order.shipping > 0) {
      items.push({ quantity: 1, price_data: { currency, unit_amount: order.shipping, product_data: { name: `Shipping: ${order.shopName}`.slice(0, 250), metadata: { agora_order: order.number } } } });
    }
    if (order.tax > 0 && !order.pricesIncludeTax) {
      items.push({ quantity: 1, price_data: { currency, unit_amount: order.tax, product_data: { name: `Tax: ${order.shopName}`.slice(0, 250), metadata: { agora_order: order.number } } } });
    }
  }
  return items;
}

/**
 * Stripe Checkout: the buyer pays on Stripe's hosted page (no card data reaches Agora; Stripe runs 3-D
 * Secure), one session for the whole checkout group. The session is recorded before Stripe is asked, so a
 * failed or timed-out call is on the admin's status page; the orders are marked paid only by the webhook.
 */
export class StripeGateway implements PaymentGateway {
  readonly id = STRIPE_GATEWAY_ID;
  readonly title = 'Card (Stripe)';
  readonly description = 'Pay by card on Stripe’s secure page; your card details never reach this site.';

  constructor(
    private readonly ctx: PluginContext,
    private readonly settings: () => StripeSettings,
  ) {}

  isAvailable(): boolean {
    return missingSettings(this.settings()).length === 0;
  }

  async createPayment(request: PaymentRequest): Promise<PaymentStart> {
    const settings = this.settings();
    const items = lineItemsOf(request);
    const sum = items.reduce((s, i) => s + (i.price_data?.unit_amount ?? 0) * (i.quantity ?? 1), 0);
    // The amount is the server's; line items that do not add up to it would charge something else.
    if (sum !== request.amount) throw new Error(`Line items add up to ${sum}, the checkout to ${request.amount}`);
    const payment =
      (await StripePayment.findOne({ where: { idempotency_key: request.idempotencyKey } })) ??
      (await StripePayment.create({
        group_id: request.groupId,
        reference: request.reference,
        attempt: request.attempt,
        idempotency_key: request.idempotencyKey,
        email: request.email,
        amount: request.amount,
        currency: request.currency,
        orders_json: request.orders.map((o) => ({ orderId: o.orderId, number: o.number, shopId: o.shopId, total: o.total, platformFee: o.platformFee, platformDiscount: o.platformDiscount ?? 0 })),
        status: 'creating',
        return_url: request.returnUrl,
      }));
    const metadata = { agora_group_id: String(request.groupId), agora_reference: request.reference, agora_attempt: String(request.attempt) };
    const base = this.ctx.config.baseUrl.replace(/\/$/, '');
    const cancelToken = signToken(this.ctx.config.sessionSecret, CANCEL_TOKEN_PURPOSE, { p: payment.id }, { ttlMs: 2 * 24 * 3600_000 });
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      line_items: items,
      client_reference_id: request.reference,
      customer_email: request.email,
      metadata,
      success_url: request.returnUrl,
      cancel_url: `${base}/stripe/cancel?t=${encodeURIComponent(cancelToken)}`,
      payment_intent_data: {
        metadata,
        description: request.description.slice(0, 1000),
        ...(settings.connectPayouts ? { transfer_group: request.reference } : {}),
        ...(settings.statementDescriptor ? { statement_descriptor_suffix: settings.statementDescriptor } : {}),
      },
    };
    let session: Stripe.Checkout.Session;
    try {
      session = await (await stripeClient(settings)).checkout.sessions.create(params, { idempotencyKey: request.idempotencyKey });
    } catch (error) {
      await payment.update({ status: 'failed', failure: `Session not created: ${stripeErrorText(error)}` });
      throw error;
    }
    if (!session.url) {
      await payment.update({ status: 'failed', failure: 'Stripe answered a session without a payment page' });
      throw new Error('Stripe answered a session without a url');
    }
    await payment.update({ status: 'open', session_id: session.id, failure: null });
    return { kind: 'redirect', url: session.url, paymentRef: session.id };
  }

  async paymentStatus(paymentRef: string): Promise<PaymentStatus> {
    const payment = await StripePayment.findOne({ where: { session_id: paymentRef } });
    if (!payment) return 'failed';
    if (payment.status === 'paid') return 'paid';
    if (payment.status === 'expired') return 'expired';
    if (payment.status === 'failed' || payment.status === 'cancelled') return 'failed';
    return 'pending';
  }

  /**
   * A refund of one order's money through Stripe, with shops' idempotency key (a double click is one
   * refund at Stripe too). The seller's share of the transfer and the platform fee come back afterwards,
   * in proportion, by the `stripe.refund-split` job that `shops.order.refunded` starts.
   */
  async refund(request: RefundRequest): Promise<RefundResult> {
    const payment = await StripePayment.findOne({ where: { session_id: request.paymentRef } });
    if (!payment?.payment_intent_id) return { refundRef: `none:${request.idempotencyKey}`, status: 'failed', failure: 'Stripe has no payment recorded for this order' };
    const refund = await (await stripeClient(this.settings())).refunds.create(
      {
        payment_intent: payment.payment_intent_id,
        amount: request.amount,
        reason: 'requested_by_customer',
        metadata: { agora_refund_key: request.idempotencyKey, agora_order: request.order.number, agora_order_id: String(request.order.id), agora_group_id: String(payment.group_id) },
      },
      { idempotencyKey: request.idempotencyKey },
    );
    const status = refund.status === 'succeeded' ? 'succeeded' : refund.status === 'failed' || refund.status === 'canceled' ? 'failed' : 'pending';
    return { refundRef: refund.id, status, amount: refund.amount, failure: status === 'failed' ? (refund.failure_reason ?? 'Stripe refused the refund') : undefined };
  }
}

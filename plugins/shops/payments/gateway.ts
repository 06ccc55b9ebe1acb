import type { Request } from 'express';

/** What a gateway is told about the checkout group it is asked to charge. */
export interface PaymentRequest {
  groupId: number;
  reference: string;
  amount: number;
  currency: string;
  email: string;
  description: string;
  /** Absolute URLs the provider sends the buyer back to. */
  returnUrl: string;
  cancelUrl: string;
}

/** Either the buyer goes to the provider's page, or the result is known at once (pay on delivery). */
export type PaymentStart =
  | { kind: 'redirect'; url: string; paymentRef: string }
  | { kind: 'immediate'; status: 'pending' | 'paid' | 'failed'; paymentRef: string; instructions?: string };

export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'expired' | 'refunded';

export interface RefundRequest {
  paymentRef: string;
  amount: number;
  currency: string;
  /** The same key must never refund twice. */
  idempotencyKey: string;
  reason?: string;
}

export interface RefundResult {
  refundRef: string;
  status: 'succeeded' | 'pending' | 'failed';
}

/** A provider's webhook, turned into what the shops plugin acts on. */
export interface WebhookOutcome {
  eventId: string;
  action: 'paid' | 'failed' | 'expired' | 'refunded' | 'ignore';
  groupId?: number;
  amount?: number;
}

/**
 * The payment-provider interface. The shops plugin ships the `manual` gateway; the stripe plugin
 * implements the same interface and adds itself through the `shops.payment.gateways` filter.
 */
export interface PaymentGateway {
  id: string;
  title: string;
  description: string;
  /** Whether the site owner enabled it and it is configured (keys present). */
  isAvailable(currency: string): boolean;
  createPayment(request: PaymentRequest): Promise<PaymentStart>;
  paymentStatus(paymentRef: string): Promise<PaymentStatus>;
  refund(request: RefundRequest): Promise<RefundResult>;
  /** Verifies and parses a webhook (raw body and headers); throws when the signature is wrong. */
  parseWebhook?(req: Request, rawBody: Buffer): Promise<WebhookOutcome>;
}

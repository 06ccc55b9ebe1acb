/** One line of an order, as the provider is told it (amounts in minor units of the request's currency). */
export interface PaymentLine {
  /** Null once the product was deleted; the title is what the buyer bought. */
  productId: number | null;
  title: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

/**
 * One shop's order inside the payment: what a marketplace provider (Stripe Connect) needs to split the
 * money, keeping the platform fee and paying the rest to the shop's payout account.
 */
export interface PaymentOrder {
  orderId: number;
  number: string;
  shopId: number;
  shopName: string;
  lines: PaymentLine[];
  subtotal: number;
  shipping: number;
  /** Part of `total` the platform keeps. */
  platformFee: number;
  /** Taken off by the shop's coupon: the seller's loss, already out of `total`. */
  discount: number;
  /**
   * Taken off by a platform coupon, already out of `total`: the platform pays it, so the seller's share is
   * `total + platformDiscount - platformFee` (docs/shops-coupons.md).
   */
  platformDiscount: number;
  /** Tax in `total` (prices entered with tax) or added to the lines to make it (prices entered without). */
  tax: number;
  pricesIncludeTax: boolean;
  total: number;
  /** The shop's account at the provider, if the provider's plugin filled one (null: the platform collects). */
  payoutAccount: string | null;
}

/** What a gateway is told about the checkout group it is asked to charge. */
export interface PaymentRequest {
  groupId: number;
  reference: string;
  /** The sum of the orders' totals. */
  amount: number;
  currency: string;
  email: string;
  description: string;
  /** Absolute URLs the provider sends the buyer back to. */
  returnUrl: string;
  cancelUrl: string;
  /** Every order of the group, one per shop, in order of shop id. */
  orders: PaymentOrder[];
  /** 1 for the first payment of the group, then 2, 3... when the buyer tries again. */
  attempt: number;
  /** Derived from group and attempt: the same attempt asked twice is one payment at the provider; the next attempt is a new one. */
  idempotencyKey: string;
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
  /** The order refunded, so a marketplace provider can take the money back from the right shop. */
  order: { id: number; number: string; shopId: number; payoutAccount: string | null };
}

export interface RefundResult {
  refundRef: string;
  /** `pending`: the provider settles it later with a `refund_settled` webhook. */
  status: 'succeeded' | 'pending' | 'failed';
  /** What the provider refunded, when it says (otherwise the amount asked). */
  amount?: number;
  /** The provider's words when it refused. */
  failure?: string;
}

/** A webhook as it arrived: no framework types, so a gateway is testable without Express. */
export interface WebhookInput {
  rawBody: Buffer;
  /** Lower-case header names, as Node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** What a money event is about: the whole checkout group, or one of its orders. */
export type PaymentTarget = { groupId: number; orderId?: number } | { orderId: number; groupId?: number };

interface EventBase {
  /** The provider's event id: each is applied exactly once. */
  eventId: string;
}

interface MoneyEvent extends EventBase {
  amount: number;
  currency: string;
  /** The provider's reference of the payment (or refund) the event is about. */
  providerRef: string;
}

/** A provider's webhook, turned into what the shops plugin acts on. */
export type WebhookOutcome =
  | (MoneyEvent & PaymentTarget & { type: 'payment_succeeded' })
  | (MoneyEvent & PaymentTarget & { type: 'payment_failed'; reason?: string })
  | (MoneyEvent & PaymentTarget & { type: 'payment_expired' })
  | (MoneyEvent &
      PaymentTarget & {
        type: 'refund_settled';
        /** The provider's final word on the refund; `amount` is what it actually refunded. */
        status: 'succeeded' | 'failed';
        /** Our key, when the refund was asked from here (the provider echoes it back). */
        idempotencyKey?: string;
        failure?: string;
      })
  | (EventBase & {
      type: 'payout_account_updated';
      /** The shop's payout account at the provider. */
      providerRef: string;
      shopId?: number;
      /** Whether the account may receive money now. */
      enabled: boolean;
    })
  | (EventBase & { type: 'ignore'; reason?: string });

export type WebhookOutcomeType = WebhookOutcome['type'];

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
  /** Verifies and parses a webhook; throws when the signature is wrong or the body is not the provider's. */
  parseWebhook?(input: WebhookInput): Promise<WebhookOutcome>;
}

/** The idempotency key of one payment attempt of a group: stable for the same attempt, new for the next. */
export function paymentIdempotencyKey(reference: string, attempt: number): string {
  return `agora-${reference}-attempt-${attempt}`;
}

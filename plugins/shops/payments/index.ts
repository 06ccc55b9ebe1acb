// The shops plugin's public payment API, for provider plugins (stripe): the gateway interface they
// implement and add through the `shops.payment.gateways` filter, the webhook outcomes they return, and
// the shop's payout account. Import from here, not from the files behind it.
export type {
  PaymentGateway,
  PaymentRequest,
  PaymentOrder,
  PaymentLine,
  PaymentStart,
  PaymentStatus,
  PaymentTarget,
  RefundRequest,
  RefundResult,
  WebhookInput,
  WebhookOutcome,
  WebhookOutcomeType,
} from './gateway';
export { paymentIdempotencyKey } from './gateway';
export { setPayoutAccount, payoutAccountOf, type PayoutAccount } from './payout-accounts';
export { REFUND_LABELS } from './refunds';
export { applyWebhook, type WebhookResult } from './apply-webhook';
export type { RefundStatus } from '../models/refund';

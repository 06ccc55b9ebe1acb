import { CheckoutGroup } from '../models/checkout-group';
import type { ShopsSettings } from '../settings';
import type { PaymentGateway, PaymentRequest, PaymentStart, PaymentStatus, RefundRequest, RefundResult } from './gateway';

export const MANUAL_GATEWAY_ID = 'manual';

/**
 * Pay on delivery or by bank transfer: no provider is involved. A payment starts pending with the site
 * owner's instructions; the seller (or an admin) marks the order paid when the money arrives, and a refund
 * is money the seller sends back by hand, recorded here. There is no webhook.
 */
export class ManualGateway implements PaymentGateway {
  readonly id = MANUAL_GATEWAY_ID;
  readonly title = 'Pay on delivery or by bank transfer';
  readonly description = 'You receive payment instructions by email; the seller confirms when the money arrives.';

  constructor(private readonly settings: () => ShopsSettings) {}

  isAvailable(): boolean {
    return this.settings().manualGatewayEnabled;
  }

  /** The admin's instructions, then the bank details and the reference to quote (one line each). */
  instructions(reference: string): string {
    const s = this.settings();
    const lines = [s.manualGatewayInstructions.trim()];
    if (s.manualBankName) lines.push(`Bank: ${s.manualBankName}`);
    if (s.manualIban) lines.push(`IBAN: ${s.manualIban}`);
    if (s.manualBankName || s.manualIban) lines.push(`Reference: ${reference}`);
    return lines.filter(Boolean).join('\n');
  }

  async createPayment(request: PaymentRequest): Promise<PaymentStart> {
    return { kind: 'immediate', status: 'pending', paymentRef: `manual:${request.reference}`, instructions: this.instructions(request.reference) };
  }

  async paymentStatus(paymentRef: string): Promise<PaymentStatus> {
    const group = await CheckoutGroup.findOne({ where: { gateway: this.id, payment_ref: paymentRef } });
    if (!group) return 'failed';
    if (group.status === 'paid') return 'paid';
    if (group.status === 'expired') return 'expired';
    if (group.status === 'failed' || group.status === 'cancelled') return 'failed';
    return 'pending';
  }

  /** The reference is derived from the key alone, so asking twice with one key describes one refund. */
  async refund(request: RefundRequest): Promise<RefundResult> {
    return { refundRef: `manual-refund:${request.idempotencyKey}`, status: 'succeeded' };
  }
}

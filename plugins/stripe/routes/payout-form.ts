import { z } from 'zod';
import { parseMoney } from '@agora/core';

/** The admin records money paid to a shop by hand (a bank transfer outside Stripe). */
export const payoutSchema = z.object({
  shop_id: z.coerce.number().int().positive('Choose a shop'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'Choose a currency'),
  amount: z.string().trim().min(1, 'Enter the amount paid, like 12.50').max(30),
  payout_key: z.string().trim().min(8).max(60),
});

export const PAYOUT_FIELDS = new Set(['_csrf', 'shop_id', 'currency', 'amount', 'payout_key']);

/** The amount in minor units of the currency, or undefined when it is not one. */
export function payoutAmount(text: string, currency: string): number | undefined {
  const minor = text.startsWith('-') ? undefined : parseMoney(text, currency);
  return minor !== undefined && minor >= 1 ? minor : undefined;
}

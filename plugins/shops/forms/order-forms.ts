import { z } from 'zod';
import { parseMoney } from '@agora/core';
import { NOTE_MAX } from '../services/order-notes';

const text = (max: number) => z.preprocess((v) => (v === undefined || v === null ? '' : v), z.string('Enter text').trim().max(max, `At most ${max} characters`));

export const noteSchema = z.object({ body: text(NOTE_MAX).pipe(z.string().min(1, 'Write your note')) });
export const NOTE_FIELDS = new Set(['body']);

/** The moves a seller makes by hand; refunds have their own form, expiry is the job's. */
export const SELLER_MOVES = ['paid', 'shipped', 'completed', 'cancelled'] as const;

export const statusSchema = z.object({
  to: z.enum(SELLER_MOVES, 'Choose what happened to the order'),
  tracking_number: text(100),
  note: text(500),
});
export const STATUS_FIELDS = new Set(['to', 'tracking_number', 'note']);

export function refundSchema(currency: string) {
  return z.object({
    amount: text(30).transform((v, c) => {
      const minor = v.startsWith('-') ? undefined : parseMoney(v, currency);
      if (minor === undefined || minor < 1) {
        c.addIssue({ code: 'custom', message: 'Enter the amount to refund, like 12.50' });
        return z.NEVER;
      }
      return minor;
    }),
    idempotency_key: text(100).pipe(z.string().regex(/^[A-Za-z0-9_-]{16,100}$/, 'This form is missing its refund key; reload the page.')),
    reason: text(500),
  });
}
export const REFUND_FIELDS = new Set(['amount', 'idempotency_key', 'reason']);

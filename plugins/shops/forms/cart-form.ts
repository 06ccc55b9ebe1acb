import { z } from 'zod';
import type { FieldErrors } from '@agora/core';

/** The largest number any quantity field accepts before the per-item setting is even looked at. */
const QUANTITY_CEILING = 1_000_000;

/** A whole, positive quantity typed in a form ("2"); anything else is refused with a message. */
export const quantityField = z.preprocess(
  (v) => (v === undefined || v === '' ? undefined : v),
  z
    .string({ message: 'Enter a quantity' })
    .trim()
    .regex(/^\d{1,7}$/, 'Enter a whole number of at least 1')
    .transform(Number)
    .pipe(z.number().int().min(1, 'Enter a whole number of at least 1').max(QUANTITY_CEILING, 'That quantity is far too large')),
);

export const idField = (what: string) =>
  z
    .string({ message: `Choose ${what}` })
    .regex(/^\d{1,10}$/, `Choose ${what}`)
    .transform(Number)
    .pipe(z.number().int().positive(`Choose ${what}`).max(2_147_483_647, `Choose ${what}`));

/** Fields a form may carry without being declared: the CSRF token. */
const ALWAYS_ALLOWED = new Set(['_csrf']);

/**
 * A form built by this site has exactly the fields its page put there: anything else is someone editing
 * the form by hand, refused as a whole (422) so that nothing half-understood is written.
 */
export function unknownFields(body: unknown, allowed: (key: string) => boolean): FieldErrors | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const unknown = Object.keys(body).filter((k) => !ALWAYS_ALLOWED.has(k) && !allowed(k));
  if (unknown.length === 0) return undefined;
  return { form: `This form was changed: it has fields the page did not send (${unknown.slice(0, 5).join(', ')}). Reload the page and try again.` };
}

export const addItemSchema = z.object({
  product_id: idField('a product'),
  quantity: quantityField.default(1),
  /** The option chosen on the page of a product with variants (a select or radio buttons). */
  variant_id: z.preprocess((v) => (v === undefined || v === '' ? undefined : v), idField('an option').optional()),
});
export const ADD_ITEM_FIELDS = new Set(['product_id', 'quantity', 'variant_id']);

export const updateItemSchema = z.object({ quantity: quantityField });
export const UPDATE_ITEM_FIELDS = new Set(['quantity']);

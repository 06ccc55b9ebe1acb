import crypto from 'node:crypto';

// No 0/O, 1/I/L: references are read aloud on the phone and typed from paper invoices.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A checkout group's public reference, like "AG-7KQ2-M9XA". */
export function newReference(): string {
  const bytes = crypto.randomBytes(8);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `AG-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** The number of the n-th order (1-based) of a group: one per shop, "AG-7KQ2-M9XA-2". */
export function orderNumber(reference: string, n: number): string {
  return `${reference}-${n}`;
}

/**
 * The key in a guest's order link: an HMAC of the reference with the site's secret, so the link can be
 * revisited without an account and cannot be guessed from a reference.
 */
export function groupKey(secret: string, reference: string): string {
  return crypto.createHmac('sha256', secret).update(`shops.checkout-group:${reference}`).digest('base64url').slice(0, 32);
}

export function validGroupKey(secret: string, reference: string, key: unknown): boolean {
  if (typeof key !== 'string' || key.length !== 32) return false;
  return crypto.timingSafeEqual(Buffer.from(groupKey(secret, reference)), Buffer.from(key));
}

/** The path of a checkout group's confirmation page, with its key. */
export function groupPath(secret: string, reference: string): string {
  return `/checkout/orders/${encodeURIComponent(reference)}?key=${groupKey(secret, reference)}`;
}

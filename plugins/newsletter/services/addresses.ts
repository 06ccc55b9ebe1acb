import crypto from 'node:crypto';

/** Addresses are compared lower-cased and trimmed (as core's forms store them). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The one-way hash that stands for an address in the suppression list and in unsubscribe links. Unkeyed
 * on purpose: it must keep matching after the site's secret is rotated, or unsubscribed people would be
 * mailed again.
 */
export function addressHash(email: string): string {
  return crypto.createHash('sha256').update(`agora.newsletter:${normalizeEmail(email)}`).digest('hex');
}

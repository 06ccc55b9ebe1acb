import crypto from 'node:crypto';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The keyed hash that stays in the register after an erasure: it lets the store recognise the same
 * address again (an objection still honoured) without keeping the address. Keyed with the site's secret so
 * that the hash of a guessed address cannot be computed from a copy of the database alone.
 */
export function emailHash(secret: string, email: string): string {
  return crypto.createHmac('sha256', secret).update(`gdpr.email:${normalizeEmail(email)}`).digest('hex');
}

/** A random link secret: the raw value goes in the email, only its SHA-256 is stored. */
export function newLinkToken(): { raw: string; hash: string } {
  const raw = crypto.randomBytes(32).toString('base64url');
  return { raw, hash: tokenHash(raw) };
}

export function tokenHash(raw: string): string {
  return crypto.createHash('sha256').update(raw).digest('hex');
}

/** Whether a value from a URL looks like one of our link tokens (cheap refusal before the database). */
export function isLinkToken(raw: unknown): raw is string {
  return typeof raw === 'string' && /^[\w-]{40,60}$/.test(raw);
}

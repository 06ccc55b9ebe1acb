import crypto from 'node:crypto';

export const CONSENT_COOKIE = 'gdpr_consent';

/** What the visitor chose in the banner, as the cookie carries it. */
export interface CookieChoice {
  /** Random, the visitor's consent id (also in the register); never derived from the device. */
  id: string;
  categories: string[];
  /** Seconds since the epoch. */
  issuedAt: number;
  /** The declarations the choice was made on (a short hash): when they change, the visitor is asked again. */
  declarations: string;
}

function sign(secret: string, payload: string): string {
  return crypto.createHmac('sha256', `gdpr-consent:${secret}`).update(payload).digest('base64url').slice(0, 22);
}

export function encodeChoice(secret: string, choice: CookieChoice): string {
  const payload = [choice.id, choice.categories.join('+'), String(choice.issuedAt), choice.declarations].join('.');
  return `${payload}.${sign(secret, payload)}`;
}

/** The choice in the cookie, or undefined when it is missing, malformed or not ours (a bad signature). */
export function decodeChoice(secret: string, value: unknown): CookieChoice | undefined {
  if (typeof value !== 'string' || value.length > 400) return undefined;
  const parts = value.split('.');
  if (parts.length !== 5) return undefined;
  const [id, categories, issued, declarations, signature] = parts;
  const expected = sign(secret, parts.slice(0, 4).join('.'));
  if (signature.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return undefined;
  if (!/^[a-f0-9]{32}$/.test(id) || !/^\d{1,12}$/.test(issued)) return undefined;
  return { id, categories: categories ? categories.split('+').filter((c) => /^[a-z0-9-]+$/.test(c)) : [], issuedAt: Number(issued), declarations };
}

export function newConsentId(): string {
  return crypto.randomBytes(16).toString('hex');
}

import crypto from 'node:crypto';

/** What a signed token carries: short keys, plain values (it travels in a URL). */
export type TokenClaims = Record<string, string | number>;

export interface SignOptions {
  /** How long the token is good for; without it the token never expires (an unsubscribe link). */
  ttlMs?: number;
  now?: number;
}

// One key per purpose, derived from the site's secret: a token signed for one link cannot be replayed as another.
function key(secret: string, purpose: string): Buffer {
  return crypto.createHmac('sha256', secret).update(`agora.signed-token:${purpose}`).digest();
}

/**
 * A stateless signed link token (`payload.signature`, base64url), as core's email-verification links are:
 * the holder can prove the site issued these claims for this purpose, until `ttlMs` runs out. Single use,
 * where a link needs it, is the caller's: keep a nonce in a claim and consume it with a conditional update.
 * Pass the site's secret (`ctx.config.sessionSecret`).
 */
export function signToken(secret: string, purpose: string, claims: TokenClaims, options: SignOptions = {}): string {
  if ('x' in claims) throw new TypeError('The claim "x" is the expiry, set through ttlMs');
  const body: TokenClaims = { ...claims };
  if (options.ttlMs !== undefined) body.x = Math.floor(((options.now ?? Date.now()) + options.ttlMs) / 1000);
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  const sig = crypto.createHmac('sha256', key(secret, purpose)).update(payload).digest('base64url');
  return `${payload}.${sig}`;
}

export type TokenReading = { ok: true; claims: TokenClaims } | { ok: false; reason: 'invalid' | 'expired' };

/**
 * Checks a token made by `signToken` for the same purpose. An expired token is told apart from a forged or
 * damaged one, so a page can say "this link has expired, ask for a new one" rather than "invalid".
 */
export function readToken(secret: string, purpose: string, token: unknown, now = Date.now()): TokenReading {
  if (typeof token !== 'string' || token.length > 2000) return { ok: false, reason: 'invalid' };
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(sig)) return { ok: false, reason: 'invalid' };
  const expected = crypto.createHmac('sha256', key(secret, purpose)).update(payload).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, reason: 'invalid' };
  const claims: TokenClaims = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (typeof v !== 'string' && typeof v !== 'number') return { ok: false, reason: 'invalid' };
    claims[k] = v;
  }
  if (claims.x !== undefined) {
    if (typeof claims.x !== 'number') return { ok: false, reason: 'invalid' };
    if (claims.x * 1000 < now) return { ok: false, reason: 'expired' };
    delete claims.x;
  }
  return { ok: true, claims };
}

import crypto from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import { AuthToken } from './token-model';

export const EMAIL_LINK_TTL_MS = 48 * 3600 * 1000;
export const RESET_TOKEN_TTL_MS = 3600 * 1000;

// Signed email links

interface EmailClaim {
  userId: number;
  email: string;
}

function key(secret: string): Buffer {
  return crypto.createHmac('sha256', secret).update('agora.email-link').digest();
}

/**
 * A signed, expiring link token proving that whoever holds it received mail at `email`. Stateless: following
 * it twice does no harm, and it stops working once the account no longer expects that address.
 */
export function signEmailToken(secret: string, claim: EmailClaim, ttlMs = EMAIL_LINK_TTL_MS, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ u: claim.userId, e: claim.email, x: Math.floor((now + ttlMs) / 1000) })).toString('base64url');
  const sig = crypto.createHmac('sha256', key(secret)).update(payload).digest('base64url');
  return `${payload}.${sig}`;
}

export function readEmailToken(secret: string, token: string, now = Date.now()): EmailClaim | undefined {
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined || token.length > 2000 || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(sig)) return undefined;
  const expected = crypto.createHmac('sha256', key(secret)).update(payload).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return undefined;
  try {
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { u?: unknown; e?: unknown; x?: unknown };
    if (typeof data.u !== 'number' || typeof data.e !== 'string' || typeof data.x !== 'number') return undefined;
    if (data.x * 1000 < now) return undefined;
    return { userId: data.u, email: data.e };
  } catch {
    return undefined;
  }
}

// Single-use reset tokens

const hash = (raw: string) => crypto.createHash('sha256').update(raw).digest('hex');

/** A new password-reset token for the user; the raw value goes in the email and is never stored. */
export async function createResetToken(userId: number, now = new Date()): Promise<string> {
  const raw = crypto.randomBytes(32).toString('base64url');
  await AuthToken.create({ user_id: userId, purpose: 'password_reset', token_hash: hash(raw), expires_at: new Date(now.getTime() + RESET_TOKEN_TTL_MS) });
  return raw;
}

/**
 * The unused, unexpired reset token with this value, if it is the newest one sent to its person: asking
 * again makes every earlier link stop working (checked here rather than by marking the older rows, so two
 * requests at once cannot leave two links alive).
 */
export async function findResetToken(raw: string, transaction?: Transaction): Promise<AuthToken | null> {
  if (!/^[\w-]{20,100}$/.test(raw)) return null;
  const token = await AuthToken.findOne({ where: { token_hash: hash(raw), purpose: 'password_reset', used_at: null, expires_at: { [Op.gt]: new Date() } }, transaction });
  if (!token) return null;
  const newest = await AuthToken.findOne({ where: { user_id: token.user_id, purpose: 'password_reset' }, order: [['id', 'DESC']], attributes: ['id'], transaction });
  return newest?.id === token.id ? token : null;
}

/**
 * Marks the token used with a conditional update, so two requests racing with the same token cannot both
 * succeed. Returns the user id when this call was the one that used it.
 */
export async function consumeResetToken(raw: string, transaction?: Transaction): Promise<number | undefined> {
  const token = await findResetToken(raw, transaction);
  if (!token) return undefined;
  const [count] = await AuthToken.update(
    { used_at: new Date() },
    { where: { id: token.id, used_at: null, expires_at: { [Op.gt]: new Date() } }, transaction },
  );
  if (count !== 1) return undefined;
  // Any other reset link sent to this person stops working too.
  await AuthToken.update({ used_at: new Date() }, { where: { user_id: token.user_id, purpose: 'password_reset', used_at: null }, transaction });
  return token.user_id;
}

import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt's cost as log2(N): 15 by default (about 32 MB and 100 ms per hash), PASSWORD_SCRYPT_COST raises it
 * (up to 20). Only the test suite may lower it (down to 10), because it hashes thousands of passwords and the
 * strength of a test account protects nothing; a production store never runs below 15.
 */
export function scryptCost(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PASSWORD_SCRYPT_COST;
  if (raw === undefined || raw === '') return 15;
  const cost = Number(raw);
  const lowest = env.NODE_ENV === 'test' ? 10 : 15;
  if (!Number.isInteger(cost) || cost < lowest || cost > 20) throw new Error(`PASSWORD_SCRYPT_COST must be a whole number from ${lowest} to 20`);
  return cost;
}

let params: ScryptOptions | undefined;
/** Read on first use, not at import, so a bad PASSWORD_SCRYPT_COST is reported by loadConfig as one clear line. */
function hashParams(): ScryptOptions {
  params ??= { N: 2 ** scryptCost(), r: 8, p: 1 };
  return params;
}
const KEY_LENGTH = 64;

function derive(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    // scrypt needs 128·N·r bytes; Node's 32 MB default would refuse the default cost.
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { ...params, maxmem: 256 * (params.N ?? 0) * (params.r ?? 8) }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, so the cost can be raised later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const PARAMS = hashParams();
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash no password matches, compared against when the account does not exist, so timing tells nothing. */
export const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(86);

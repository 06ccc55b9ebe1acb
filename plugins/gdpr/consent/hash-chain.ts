import crypto from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The fields of a register row its hash covers, in a fixed order (a JSON array, so no key order can differ). */
export interface ChainedFields {
  seq: number;
  action: string;
  section: string;
  policy_slug: string;
  policy_version: number;
  text_hash: string;
  categories: string;
  required: boolean;
  previous_at: string;
  recorded_at: string;
  receipt: string;
  identity_hash: string;
  prev_hash: string;
}

export function rowHash(row: ChainedFields): string {
  return sha256(
    JSON.stringify([
      row.seq,
      row.action,
      row.section,
      row.policy_slug,
      Number(row.policy_version),
      row.text_hash,
      row.categories,
      Boolean(row.required),
      row.previous_at,
      row.recorded_at,
      row.receipt,
      row.identity_hash,
      row.prev_hash,
    ]),
  );
}

export interface IdentityFields {
  user_id: number | null;
  email: string | null;
  display_name: string | null;
  ip: string | null;
  user_agent_hash: string | null;
  consent_id: string | null;
}

/** Salted, so that once the identity (and its salt) is shredded the hash left in the chain matches no guess. */
export function identityHash(salt: string, identity: IdentityFields): string {
  return sha256(
    salt + JSON.stringify([identity.user_id, identity.email, identity.display_name, identity.ip, identity.user_agent_hash, identity.consent_id]),
  );
}

/** The IP as an identity's hash (version 2) covers it: salted, so the seal left after the IP is removed matches no guess. */
export function sealIp(salt: string, ip: string): string {
  return sha256(`${salt}\nip\n${ip}`);
}

/** The identity as hashed by its version: version 2 puts the IP's seal where version 1 put the IP. */
export function hashedIdentity(identity: IdentityFields & { ip_seal?: string | null; hash_version?: number }): IdentityFields {
  const { user_id, email, display_name, ip, user_agent_hash, consent_id } = identity;
  return { user_id, email, display_name, ip: identity.hash_version === 2 ? (identity.ip_seal ?? null) : ip, user_agent_hash, consent_id };
}

/**
 * Whether a stored identity still matches the hash its register row holds: `undefined` when it can no longer
 * be checked (shredded by an erasure; or a version-1 identity whose IP the retention rule removed).
 */
export function identityMatches(
  identity: IdentityFields & { salt: string | null; ip_seal?: string | null; hash_version?: number; shredded_at?: Date | null; ip_removed_at?: Date | null },
  expected: string,
): boolean | undefined {
  if (identity.shredded_at) return undefined;
  if (identity.hash_version !== 2 && identity.ip_removed_at) return undefined;
  const salt = identity.salt ?? '';
  if (identity.hash_version === 2 && identity.ip !== null && (!identity.ip_seal || sealIp(salt, identity.ip) !== identity.ip_seal)) return false;
  return identityHash(salt, hashedIdentity(identity)) === expected;
}

/** SHA-256 of the exact text a person was shown: the title and the body as published. */
export function textHash(title: string, body: string): string {
  return sha256(`${title}\n\n${body}`);
}

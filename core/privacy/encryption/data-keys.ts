import crypto from 'node:crypto';

/** How an encrypted value starts: a plain value written before encryption existed never does. */
export const ENCRYPTED_PREFIX = 'enc:v1:';

/** Raised when a value cannot be decrypted: its key is not configured, or it was altered. Never garbage. */
export class DataKeyError extends Error {}

interface Key {
  id: string;
  key: Buffer;
}

/**
 * The id of a key: derived from the key itself, so that a wrong key is told apart from the right one at once
 * (its id is unknown) and nothing needs naming. Eight hex digits of a hash reveal nothing of the key.
 */
export function dataKeyId(material: string): string {
  return crypto.createHash('sha256').update(`agora-data-key-id:${material}`, 'utf8').digest('hex').slice(0, 8);
}

/** A fresh random key, as written into DATA_DIR/data-keys on first start. */
export function generateDataKey(): string {
  return crypto.randomBytes(32).toString('hex');
}

/**
 * The keys that encrypt personal fields at rest (AES-256-GCM, a random IV per value): the current one writes,
 * every known one reads, so a key can be rotated and old values re-encrypted in batches while the site runs.
 * Stored form: `enc:v1:<keyId>:<iv>:<tag>:<ciphertext>`, base64url.
 */
export class DataKeyring {
  private readonly keys = new Map<string, Key>();
  readonly currentId: string;

  /** `materials[0]` is the current key; the rest are previous keys still needed to read old values. */
  constructor(materials: readonly string[]) {
    if (materials.length === 0) throw new DataKeyError('No data encryption key is configured');
    for (const material of materials) {
      if (material.length < 32) throw new DataKeyError('A data encryption key must be at least 32 characters');
      const id = dataKeyId(material);
      if (!this.keys.has(id)) this.keys.set(id, { id, key: Buffer.from(crypto.hkdfSync('sha256', material, 'agora', 'personal data v1', 32)) });
    }
    this.currentId = dataKeyId(materials[0]);
  }

  /** Every key id this keyring can read, the current one first. */
  ids(): string[] {
    return [...this.keys.keys()];
  }

  has(id: string): boolean {
    return this.keys.has(id);
  }

  static isEncrypted(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(ENCRYPTED_PREFIX);
  }

  /** The key id a stored value was written with; undefined for a plain (not yet encrypted) value. */
  static keyIdOf(stored: unknown): string | undefined {
    if (!DataKeyring.isEncrypted(stored)) return undefined;
    return stored.slice(ENCRYPTED_PREFIX.length).split(':', 1)[0];
  }

  encrypt(plain: string): string {
    const current = this.keys.get(this.currentId)!;
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', current.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${ENCRYPTED_PREFIX}${current.id}:${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join(':')}`;
  }

  /** The plain text of a stored value; a value that is not encrypted is returned as it is (rows before migration). */
  decrypt(stored: string): string {
    if (!DataKeyring.isEncrypted(stored)) return stored;
    const parts = stored.slice(ENCRYPTED_PREFIX.length).split(':');
    if (parts.length !== 4) throw new DataKeyError('An encrypted value is malformed');
    const [id, iv, tag, body] = parts;
    const key = this.keys.get(id);
    if (!key) throw new DataKeyError(`An encrypted value uses data key ${id}, which is not configured (DATA_KEY, DATA_KEYS_PREVIOUS or DATA_DIR/data-keys)`);
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new DataKeyError(`An encrypted value does not open with data key ${id}: it was altered`);
    }
  }
}

import crypto from 'node:crypto';

/** How a sealed value starts in the options table, so a plain value stored before is told apart. */
const PREFIX = 'sealed:v1:';

/**
 * Encrypts settings of type `secret` at rest (AES-256-GCM), with a key from the environment
 * (SETTINGS_KEY) or generated once into DATA_DIR: a copy of the database alone does not give the keys away.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyMaterial: string) {
    if (keyMaterial.length < 32) throw new Error('The settings encryption key must be at least 32 characters');
    this.key = crypto.createHash('sha256').update(keyMaterial, 'utf8').digest();
  }

  static isSealed(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(PREFIX);
  }

  seal(plain: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')}`;
  }

  /** The plain value, or undefined when it was sealed with another key or was tampered with. */
  open(sealed: string): string | undefined {
    if (!SecretBox.isSealed(sealed)) return undefined;
    const [iv, tag, body] = sealed.slice(PREFIX.length).split('.').map((p) => Buffer.from(p, 'base64url'));
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

/** What the admin sees of a stored secret: enough to recognise it, never enough to use it. */
export function maskSecret(plain: unknown): string {
  if (typeof plain !== 'string' || plain === '') return '';
  const tail = plain.length > 12 ? plain.slice(-4) : '';
  return `${'•'.repeat(8)}${tail}`;
}

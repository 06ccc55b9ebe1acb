import { QueryTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { ConfigError } from '../../config';
import type { Options } from '../../db/options';
import { DataKeyring, ENCRYPTED_PREFIX } from './data-keys';
import './encrypted-attribute';

/** One encrypted attribute of a model, with the part (core or a plugin) that owns it. */
export interface EncryptedField {
  owner: string;
  model: string;
  attribute: string;
  table: string;
  column: string;
  primaryKey: string;
}

/** How the rows of one field are stored now. */
export interface EncryptedFieldStatus extends EncryptedField {
  /** Rows per key id that wrote them. */
  byKey: Record<string, number>;
  /** Rows still plain (written before encryption, not migrated yet): 0 after the migrations. */
  plain: number;
  /** Rows written with a key other than the current one, or plain: what "re-encrypt" changes. */
  stale: number;
}

export interface ReencryptOutcome {
  /** Values rewritten with the current key, per `Model.attribute`. */
  rewritten: Record<string, number>;
  total: number;
  /** Key ids no longer used by any row, retired from the record (their keys may now be removed). */
  retired: string[];
}

/** What the options table keeps about keys: a probe value per key id that wrote data (never the key). */
interface KeyRecord {
  used: Record<string, string>;
}

const RECORD = 'core.data-keys';
const PROBE = 'agora-data-key-probe';

/**
 * Field encryption of the running store: which attributes are encrypted (walked from the models of core and
 * the active plugins), which keys their rows use, re-encryption with the current key in batches, and the
 * start-up check that refuses a missing or wrong key rather than serving garbage.
 */
export class FieldEncryption {
  private ownerOf: (modelName: string) => string | undefined = () => undefined;

  constructor(
    private readonly sequelize: Sequelize,
    readonly keyring: DataKeyring,
    private readonly options: Options,
  ) {}

  /** Called by the platform once the plugin manager exists: fields are listed with the plugin that owns them. */
  attach(ownerOf: (modelName: string) => string | undefined): void {
    this.ownerOf = ownerOf;
  }

  /**
   * Refuses to start when the database holds data written with a key that is not configured (the key file
   * lost, DATA_KEY changed without keeping the old one in DATA_KEYS_PREVIOUS), or when a configured key with a
   * known id does not open its probe. Records the current key as used.
   */
  async verifyKeys(source: string): Promise<void> {
    const record = this.options.get<KeyRecord>(RECORD, { used: {} });
    const missing = Object.keys(record.used).filter((id) => !this.keyring.has(id));
    if (missing.length) {
      throw new ConfigError(
        `DATA_KEY: personal data in this database is encrypted with data key${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, ` +
          `which ${missing.length > 1 ? 'are' : 'is'} not configured (keys now: ${this.keyring.ids().join(', ')} from ${source}). ` +
          'Set DATA_KEY to the key, or keep it in DATA_KEYS_PREVIOUS after a rotation, or restore DATA_DIR/data-keys from a backup.',
      );
    }
    for (const [id, probe] of Object.entries(record.used)) {
      let opened: string | undefined;
      try {
        opened = this.keyring.decrypt(probe);
      } catch {
        opened = undefined;
      }
      if (opened !== PROBE) throw new ConfigError(`DATA_KEY: data key ${id} does not open this database's key probe; the key or the options table was altered.`);
    }
    if (!record.used[this.keyring.currentId]) {
      await this.options.set(RECORD, { used: { ...record.used, [this.keyring.currentId]: this.keyring.encrypt(PROBE) } });
    }
  }

  /** Key ids that wrote data in this database, as recorded (the current one included). */
  usedKeyIds(): string[] {
    return Object.keys(this.options.get<KeyRecord>(RECORD, { used: {} }).used);
  }

  /**
   * Every encrypted attribute of every model loaded (core's and every plugin's that ran since the start,
   * inactive ones included: their rows still need the keys).
   */
  fields(): EncryptedField[] {
    const out: EncryptedField[] = [];
    for (const model of Object.values(this.sequelize.models) as Array<ModelStatic<Model>>) {
      const owner = this.ownerOf(model.name) ?? 'core';
      const attributes = model.getAttributes();
      const pk = model.primaryKeyAttribute;
      for (const [attribute, definition] of Object.entries(attributes)) {
        if (!definition.encrypted) continue;
        out.push({ owner, model: model.name, attribute, table: model.getTableName() as string, column: definition.field ?? attribute, primaryKey: attributes[pk]?.field ?? pk });
      }
    }
    return out.sort((a, b) => a.owner.localeCompare(b.owner) || a.model.localeCompare(b.model) || a.attribute.localeCompare(b.attribute));
  }

  async status(): Promise<EncryptedFieldStatus[]> {
    const out: EncryptedFieldStatus[] = [];
    for (const field of await this.presentFields()) {
      const { table, column } = this.quoted(field);
      const keyed = await this.sequelize.query<{ kid: string; n: number | string }>(
        `SELECT substr(${column}, ${ENCRYPTED_PREFIX.length + 1}, 8) AS kid, COUNT(*) AS n FROM ${table} WHERE ${column} LIKE ? GROUP BY substr(${column}, ${ENCRYPTED_PREFIX.length + 1}, 8)`,
        { replacements: [`${ENCRYPTED_PREFIX}%`], type: QueryTypes.SELECT },
      );
      const [plainRow] = await this.sequelize.query<{ n: number | string }>(
        `SELECT COUNT(*) AS n FROM ${table} WHERE ${column} IS NOT NULL AND ${column} <> '' AND ${column} NOT LIKE ?`,
        { replacements: [`${ENCRYPTED_PREFIX}%`], type: QueryTypes.SELECT },
      );
      const byKey = Object.fromEntries(keyed.map((r) => [r.kid, Number(r.n)]));
      const plain = Number(plainRow?.n ?? 0);
      const stale = plain + Object.entries(byKey).reduce((sum, [kid, n]) => (kid === this.keyring.currentId ? sum : sum + n), 0);
      out.push({ ...field, byKey, plain, stale });
    }
    return out;
  }

  /**
   * Rewrites every value not written with the current key (older keys, or plain), `batchSize` rows at a time.
   * Each row is updated only if it still holds the value read (a conditional update), so a value the site
   * changed meanwhile is never overwritten, and two runs at once never both rewrite a row.
   */
  async reencrypt(batchSize = 200): Promise<ReencryptOutcome> {
    const rewritten: Record<string, number> = {};
    let total = 0;
    const current = `${ENCRYPTED_PREFIX}${this.keyring.currentId}:%`;
    for (const field of await this.presentFields()) {
      const { table, column, pk } = this.quoted(field);
      let count = 0;
      let after: number | string | null = null;
      for (;;) {
        const rows: Array<{ id: number | string; value: string }> = await this.sequelize.query<{ id: number | string; value: string }>(
          `SELECT ${pk} AS id, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL AND ${column} <> '' AND ${column} NOT LIKE ?` +
            `${after === null ? '' : ` AND ${pk} > ?`} ORDER BY ${pk} LIMIT ${Math.max(1, Math.floor(batchSize))}`,
          { replacements: after === null ? [current] : [current, after], type: QueryTypes.SELECT },
        );
        if (rows.length === 0) break;
        for (const row of rows) {
          const value = this.keyring.encrypt(this.keyring.decrypt(row.value));
          const [, affected] = await this.sequelize.query(`UPDATE ${table} SET ${column} = ? WHERE ${pk} = ? AND ${column} = ?`, {
            replacements: [value, row.id, row.value],
            type: QueryTypes.UPDATE,
          });
          if (Number(affected) > 0) count++;
        }
        after = rows[rows.length - 1].id;
      }
      if (count) rewritten[`${field.model}.${field.attribute}`] = count;
      total += count;
    }
    const retired = await this.retireUnusedKeys();
    return { rewritten, total, retired };
  }

  /** Drops from the record every old key id that no row uses any more, so its key may be removed. */
  private async retireUnusedKeys(): Promise<string[]> {
    const record = this.options.get<KeyRecord>(RECORD, { used: {} });
    const inUse = new Set<string>([this.keyring.currentId]);
    for (const s of await this.status()) for (const [kid, n] of Object.entries(s.byKey)) if (n > 0) inUse.add(kid);
    const retired = Object.keys(record.used).filter((id) => !inUse.has(id));
    if (retired.length) {
      const used = Object.fromEntries(Object.entries(record.used).filter(([id]) => inUse.has(id)));
      await this.options.set(RECORD, { used });
    }
    return retired;
  }

  /** Fields whose table exists: a plugin uninstalled since the start left its model behind but took its table. */
  private async presentFields(): Promise<EncryptedField[]> {
    const tables = new Set((await this.sequelize.getQueryInterface().showAllTables()).map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName)));
    return this.fields().filter((f) => tables.has(f.table));
  }

  private quoted(field: EncryptedField): { table: string; column: string; pk: string } {
    const q = this.sequelize.getQueryInterface();
    return { table: q.quoteIdentifier(field.table), column: q.quoteIdentifier(field.column), pk: q.quoteIdentifier(field.primaryKey) };
  }
}

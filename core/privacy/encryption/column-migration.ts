import { QueryTypes, type Sequelize } from 'sequelize';
import { isPostgres } from '../../db/database';
import { DataKeyring } from './data-keys';
import { dataKeysOf } from './encrypted-attribute';

const BATCH = 500;

/**
 * For a migration that starts encrypting columns: widens them to TEXT on PostgreSQL (SQLite keeps any length
 * in any column, and rebuilding its table would lose triggers and indexes), then encrypts every plain value
 * with the current data key, in batches. Running it again changes nothing.
 */
export async function encryptColumns(sequelize: Sequelize, table: string, columns: readonly string[], primaryKey = 'id'): Promise<number> {
  const q = sequelize.getQueryInterface();
  if (isPostgres(sequelize)) {
    for (const column of columns) await sequelize.query(`ALTER TABLE ${q.quoteIdentifier(table)} ALTER COLUMN ${q.quoteIdentifier(column)} TYPE TEXT`);
  }
  const keys = dataKeysOf(sequelize);
  return rewrite(sequelize, table, columns, primaryKey, (value) => (DataKeyring.isEncrypted(value) ? undefined : keys.encrypt(value)));
}

/**
 * The way back: decrypts every value of the columns and, on PostgreSQL, gives each its old type
 * (`{ postcode: 'VARCHAR(20)', birth_date: 'DATE' }`).
 */
export async function decryptColumns(sequelize: Sequelize, table: string, types: Record<string, string>, primaryKey = 'id'): Promise<number> {
  const q = sequelize.getQueryInterface();
  const keys = dataKeysOf(sequelize);
  const columns = Object.keys(types);
  const count = await rewrite(sequelize, table, columns, primaryKey, (value) => (DataKeyring.isEncrypted(value) ? keys.decrypt(value) : undefined));
  if (isPostgres(sequelize)) {
    for (const [column, type] of Object.entries(types)) {
      const c = q.quoteIdentifier(column);
      await sequelize.query(`ALTER TABLE ${q.quoteIdentifier(table)} ALTER COLUMN ${c} TYPE ${type} USING ${c}::${type}`);
    }
  }
  return count;
}

async function rewrite(sequelize: Sequelize, table: string, columns: readonly string[], primaryKey: string, change: (value: string) => string | undefined): Promise<number> {
  const q = sequelize.getQueryInterface();
  const t = q.quoteIdentifier(table);
  const pk = q.quoteIdentifier(primaryKey);
  let count = 0;
  for (const column of columns) {
    const c = q.quoteIdentifier(column);
    let after: number | string | null = null;
    for (;;) {
      const rows: Array<{ id: number | string; value: string }> = await sequelize.query<{ id: number | string; value: string }>(
        `SELECT ${pk} AS id, ${c} AS value FROM ${t} WHERE ${c} IS NOT NULL AND ${c} <> ''${after === null ? '' : ` AND ${pk} > ?`} ORDER BY ${pk} LIMIT ${BATCH}`,
        { replacements: after === null ? [] : [after], type: QueryTypes.SELECT },
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const next = change(String(row.value));
        if (next === undefined) continue;
        await sequelize.query(`UPDATE ${t} SET ${c} = ? WHERE ${pk} = ?`, { replacements: [next, row.id], type: QueryTypes.UPDATE });
        count++;
      }
      after = rows[rows.length - 1].id;
    }
  }
  return count;
}

import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/**
 * Runs `INSERT ... ON CONFLICT (...) DO NOTHING` and answers whether a row was written: the unique key
 * decides which of two concurrent requests did the work. PostgreSQL tells through RETURNING; SQLite
 * (whose INSERT goes through sqlite3's `run`) through the statement's change count.
 */
export async function insertIgnore(sequelize: Sequelize, sql: string, replacements: unknown[], transaction: Transaction | null): Promise<boolean> {
  if (sequelize.getDialect() === 'postgres') {
    const rows = await sequelize.query(`${sql} RETURNING 1 AS one`, { replacements, type: QueryTypes.SELECT, transaction });
    return rows.length > 0;
  }
  const [, changes] = (await sequelize.query(sql, { replacements, type: QueryTypes.INSERT, transaction })) as unknown as [number, number];
  return Number(changes) > 0;
}

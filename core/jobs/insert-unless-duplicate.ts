import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/**
 * Runs `INSERT ... ON CONFLICT (<key>) DO NOTHING` and answers the new row's id, or undefined when the
 * key was taken. PostgreSQL answers through RETURNING. Sequelize runs an SQLite statement that starts
 * with INSERT through sqlite3's `run`, which returns no rows, so there the answer is the statement's
 * change count and last id instead.
 */
export async function insertUnlessDuplicate(
  sequelize: Sequelize,
  sql: string,
  replacements: unknown[],
  transaction: Transaction | null,
): Promise<number | undefined> {
  if (sequelize.getDialect() === 'postgres') {
    const rows = await sequelize.query<{ id: number }>(`${sql} RETURNING id`, { replacements, type: QueryTypes.SELECT, transaction });
    return rows[0] ? Number(rows[0].id) : undefined;
  }
  const [lastId, changes] = (await sequelize.query(sql, { replacements, type: QueryTypes.INSERT, transaction })) as unknown as [number, number];
  return changes ? Number(lastId) : undefined;
}

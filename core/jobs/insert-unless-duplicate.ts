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

/** The id of the job that already holds a dedupe key (the insert above found it taken). */
export async function dedupedJobId(
  sequelize: Sequelize,
  table: 'jobs' | 'job_outbox',
  idColumn: 'id' | 'job_id',
  dedupeKey: string | undefined,
  transaction: Transaction | null,
): Promise<string> {
  const [existing] = await sequelize.query<Record<string, number | string>>(`SELECT ${idColumn} AS id FROM ${table} WHERE dedupe_key = ?`, {
    replacements: [dedupeKey ?? null],
    type: QueryTypes.SELECT,
    transaction,
  });
  if (!existing) throw new Error(`job with dedupe key "${dedupeKey}" neither inserted nor found`);
  return String(existing.id);
}

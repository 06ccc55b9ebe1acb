import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/** A small deterministic random generator, so two runs make the same store. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The next `count` ids of a table, for rows inserted with explicit ids: the generator is the only writer of
 * the bench store while it runs, and explicit ids spare a read-back of every chunk to link its children.
 */
export async function bulkIds(sequelize: Sequelize, table: string, count: number, transaction?: Transaction): Promise<{ first: number; count: number }> {
  const [{ top }] = await sequelize.query<{ top: number | string | null }>(`SELECT MAX(id) AS top FROM ${table}`, { type: QueryTypes.SELECT, transaction });
  return { first: Number(top ?? 0) + 1, count };
}

/** PostgreSQL's id sequences after inserts with explicit ids, so the app's next insert takes a free id. */
export async function syncSequences(sequelize: Sequelize, tables: string[]): Promise<void> {
  if (sequelize.getDialect() !== 'postgres') return;
  for (const table of tables) {
    await sequelize.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT MAX(id) FROM ${table}), 0) + 1, false)`);
  }
}

import type { Sequelize } from 'sequelize';
import { isPostgres } from '../db/database';
import { log } from '../log';

/** The locks core takes: one for schema changes, one for the first-start work (plugin states, first admin, demo). */
export type LockName = 'agora:migrations' | 'agora:startup';

interface PgClient {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Runs `fn` while holding a PostgreSQL session advisory lock, so two instances starting at once never both run
 * migrations (or both create the first plugin states and admin): the second waits, then finds the work done.
 * The lock lives on a connection of its own, taken from the pool for the duration; `fn`'s queries use the
 * others. A crashed holder's lock goes with its connection. SQLite runs one instance: `fn` runs as is.
 */
export async function withAdvisoryLock<T>(sequelize: Sequelize, name: LockName, fn: () => Promise<T>): Promise<T> {
  if (!isPostgres(sequelize)) return fn();
  const manager = sequelize.connectionManager;
  const connection = await manager.getConnection({ type: 'write' });
  const client = connection as unknown as PgClient;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch((error: unknown) => log.warn({ err: error, lock: name }, 'could not release an advisory lock'));
    }
  } finally {
    manager.releaseConnection(connection);
  }
}

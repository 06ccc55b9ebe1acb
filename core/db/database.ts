import { Sequelize, Transaction, type TransactionOptions } from 'sequelize';
import { log } from '../log';
import { waitingForDatabase } from '../hook-clock';
import { sqliteDriver } from './sqlite-driver';
import { enableAmbientTransactions, opensRootTransaction } from './transaction';

/** The Sequelize instance for SQLite (a file in DATA_DIR by default) or PostgreSQL (`DATABASE_URL`). */
export function createDatabase(databaseUrl: string): Sequelize {
  const logging = process.env.SQL_LOG ? (sql: string) => log.debug({ sql }) : false;
  if (databaseUrl.startsWith('sqlite:')) {
    const storage = databaseUrl.slice('sqlite:'.length) || ':memory:';
    const sequelize = new Sequelize({
      dialect: 'sqlite',
      dialectModule: sqliteDriver,
      storage,
      logging,
      // SQLite allows one writer; transactions queue behind it instead of failing with SQLITE_BUSY.
      transactionType: Transaction.TYPES.IMMEDIATE,
      retry: { max: 10, match: [/SQLITE_BUSY/] },
      pool: { max: 1, min: 1, idle: 60_000 },
      define: { underscored: true },
    });
    enableAmbientTransactions(sequelize);
    serializeTransactions(sequelize);
    pauseListenerClocksForConnections(sequelize);
    return sequelize;
  }
  const sequelize = new Sequelize(databaseUrl, {
    dialect: 'postgres',
    logging,
    pool: { max: 10, min: 0, idle: 10_000 },
    define: { underscored: true },
  });
  enableAmbientTransactions(sequelize);
  pauseListenerClocksForConnections(sequelize);
  return sequelize;
}

/**
 * A hook listener waiting for a pooled connection is waiting on the platform, not working: its time budget
 * stops meanwhile (core/hook-clock.ts). Every query and transaction gets its connection through this method.
 */
function pauseListenerClocksForConnections(sequelize: Sequelize): void {
  // connectionManager.getConnection is Sequelize's (typed but undocumented) one door to the pool.
  const manager = sequelize.connectionManager as unknown as { getConnection(options?: unknown): Promise<unknown> };
  const original = manager.getConnection.bind(manager);
  manager.getConnection = (options?: unknown) => waitingForDatabase(() => original(options));
}

/** Pragmas that make SQLite fit a web server: write-ahead log, foreign keys, a busy timeout. */
export async function tuneDatabase(sequelize: Sequelize): Promise<void> {
  if (sequelize.getDialect() !== 'sqlite') return;
  await sequelize.query('PRAGMA journal_mode = WAL');
  await sequelize.query('PRAGMA synchronous = NORMAL');
  await sequelize.query('PRAGMA foreign_keys = ON');
  await sequelize.query('PRAGMA busy_timeout = 5000');
}

export function isPostgres(sequelize: Sequelize): boolean {
  return sequelize.getDialect() === 'postgres';
}

/**
 * SQLite has one writer. Each Sequelize transaction opens a connection of its own, and one that finds the
 * write lock taken backs off and retries: a burst of checkouts would spend seconds sleeping. So on SQLite
 * managed root transactions (those given a callback) take turns inside the process, which is what the
 * database makes them do anyway. A transaction opened inside another one (ambient, or passed as the
 * `transaction` option) is a savepoint on the outer one's connection (see `./transaction`): it must not
 * queue, as it would wait for the outer one, which waits for it.
 */
function serializeTransactions(sequelize: Sequelize): void {
  const original = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  let queue: Promise<unknown> = Promise.resolve();
  const managed = (...args: unknown[]): Promise<unknown> => {
    // Waiting for the turn is waiting on the database: a hook listener's budget stops meanwhile.
    const turn = queue;
    const run = waitingForDatabase(() => turn).then(() => original(...args));
    queue = run.catch(() => undefined);
    return run;
  };
  Object.defineProperty(sequelize, 'transaction', {
    configurable: true,
    writable: true,
    value: (optionsOrWork?: TransactionOptions | ((t: Transaction) => Promise<unknown>), work?: (t: Transaction) => Promise<unknown>) => {
      const options = typeof optionsOrWork === 'function' ? undefined : optionsOrWork;
      const isManaged = typeof optionsOrWork === 'function' || typeof work === 'function';
      return isManaged && opensRootTransaction(sequelize, options) ? managed(optionsOrWork, work) : original(optionsOrWork, work);
    },
  });
}

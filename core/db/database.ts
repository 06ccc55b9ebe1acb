import { Sequelize, Transaction } from 'sequelize';
import { log } from '../log';

/** The Sequelize instance for SQLite (a file in DATA_DIR by default) or PostgreSQL (`DATABASE_URL`). */
export function createDatabase(databaseUrl: string): Sequelize {
  const logging = process.env.SQL_LOG ? (sql: string) => log.debug({ sql }) : false;
  if (databaseUrl.startsWith('sqlite:')) {
    const storage = databaseUrl.slice('sqlite:'.length) || ':memory:';
    const sequelize = new Sequelize({
      dialect: 'sqlite',
      storage,
      logging,
      // SQLite allows one writer; transactions queue behind it instead of failing with SQLITE_BUSY.
      transactionType: Transaction.TYPES.IMMEDIATE,
      retry: { max: 10, match: [/SQLITE_BUSY/] },
      pool: { max: 1, min: 1, idle: 60_000 },
      define: { underscored: true },
    });
    return sequelize;
  }
  return new Sequelize(databaseUrl, {
    dialect: 'postgres',
    logging,
    pool: { max: 10, min: 0, idle: 10_000 },
    define: { underscored: true },
  });
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

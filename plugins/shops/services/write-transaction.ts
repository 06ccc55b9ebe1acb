import type { Sequelize, Transaction } from 'sequelize';

const queues = new WeakMap<Sequelize, Promise<unknown>>();

/**
 * A transaction that writes. PostgreSQL runs many at once and its row locks decide. SQLite allows one
 * writer, and each Sequelize transaction opens its own connection that fails at once when another holds
 * the lock (then retries with back-off): a burst of checkouts would spend seconds backing off. On SQLite
 * these transactions therefore wait their turn in the process, which is what the database does anyway.
 * Never call it from inside one of its own transactions: pass the transaction down instead.
 */
export function writeTransaction<T>(sequelize: Sequelize, work: (transaction: Transaction) => Promise<T>): Promise<T> {
  if (sequelize.getDialect() !== 'sqlite') return sequelize.transaction(work);
  const previous = queues.get(sequelize) ?? Promise.resolve();
  const run = previous.then(() => sequelize.transaction(work));
  queues.set(
    sequelize,
    run.catch(() => undefined),
  );
  return run;
}

import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sequelize, Transaction, TransactionOptions } from 'sequelize';
import { log } from '../log';

/**
 * Ambient transactions: inside `sequelize.transaction(async () => ...)` every query of that Sequelize
 * instance joins the transaction without it being passed down, so a service called there writes with
 * the caller's change or not at all.
 *
 * Sequelize's own `Sequelize.useCLS(namespace)` is static: one namespace for the whole process, read by
 * `sequelize.query` and the model methods without asking which instance wants the transaction. Tests
 * (and a process with two platforms) hold several instances, and one would run its queries on the
 * other's connection. So each instance gets a storage of its own here, and its `query` and
 * `transaction` methods read it: a transaction can only ever be picked up by the instance that opened it.
 */
const storages = new WeakMap<Sequelize, AsyncLocalStorage<Transaction>>();

type Work<T> = (t: Transaction) => PromiseLike<T> | T;
type TransactionMethod = (options?: TransactionOptions, work?: Work<unknown>) => Promise<unknown>;
type QueryMethod = (sql: unknown, options?: { transaction?: Transaction | null } & Record<string, unknown>) => Promise<unknown>;

function storageOf(sequelize: Sequelize): AsyncLocalStorage<Transaction> | undefined {
  return storages.get(sequelize);
}

/** The transaction the code runs in for this instance, if any (a finished one, leaked into a timer say, is none). */
export function currentTransaction(sequelize: Sequelize): Transaction | undefined {
  const t = storageOf(sequelize)?.getStore();
  return t && !(t as Transaction & { finished?: string }).finished ? t : undefined;
}

/** The transaction that commits for real: a savepoint's outermost parent. */
export function rootTransaction(t: Transaction): Transaction {
  let root = t as Transaction & { parent?: Transaction };
  while (root.parent) root = root.parent as Transaction & { parent?: Transaction };
  return root;
}

/**
 * Runs `fn` once the change is committed for good: after the outermost transaction commits (a savepoint's
 * own commit is not one), at once when there is no transaction. Never run when it rolls back.
 * The commit does not wait for `fn` (a hand-off to a Redis that is down must not hold the request), and
 * an error of `fn` is logged: the change is committed whatever `fn` does.
 */
export function afterCommit(t: Transaction | null | undefined, fn: () => void | Promise<void>): void {
  const run = () => {
    void Promise.resolve()
      .then(fn)
      .catch((error: unknown) => log.error({ err: error }, 'after-commit work failed'));
  };
  if (!t) run();
  else rootTransaction(t).afterCommit(run);
}

/**
 * Runs `fn` in a managed transaction of `sequelize`, or inside the ambient one (as a savepoint) when
 * there is one. The plugins' way to say "these writes go together".
 */
export function inTransaction<T>(sequelize: Sequelize, fn: (t: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  return sequelize.transaction(options, fn);
}

/** Runs `fn` with no ambient transaction of this instance: for work that must not join the caller's (a worker loop). */
export function outsideTransaction<T>(sequelize: Sequelize, fn: () => T): T {
  const storage = storageOf(sequelize);
  return storage ? storage.exit(fn) : fn();
}

/**
 * Gives this instance ambient transactions:
 * - a managed `transaction(fn)` runs `fn` with its transaction ambient;
 * - a transaction opened while one is ambient (managed or not) is a savepoint of it, so it never waits
 *   for the outer one's connection or lock (SQLite's one writer) and commits with it;
 * - `query` without a `transaction` option uses the ambient one.
 * An explicit `transaction` option (also `null`: "a root transaction of its own") is always respected.
 */
export function enableAmbientTransactions(sequelize: Sequelize): void {
  if (storages.has(sequelize)) return;
  const storage = new AsyncLocalStorage<Transaction>();
  storages.set(sequelize, storage);

  const originalQuery = sequelize.query.bind(sequelize) as QueryMethod;
  Object.defineProperty(sequelize, 'query', {
    configurable: true,
    writable: true,
    value: (sql: unknown, options?: { transaction?: Transaction | null } & Record<string, unknown>) => {
      if (options?.transaction !== undefined) return originalQuery(sql, options);
      const ambient = currentTransaction(sequelize);
      return originalQuery(sql, ambient ? { ...options, transaction: ambient } : options);
    },
  });

  const originalTransaction = sequelize.transaction.bind(sequelize) as TransactionMethod;
  Object.defineProperty(sequelize, 'transaction', {
    configurable: true,
    writable: true,
    value: (optionsOrWork?: TransactionOptions | Work<unknown>, maybeWork?: Work<unknown>) => {
      const work = typeof optionsOrWork === 'function' ? optionsOrWork : maybeWork;
      const given = typeof optionsOrWork === 'function' ? {} : { ...optionsOrWork };
      if (given.transaction === undefined) {
        const ambient = currentTransaction(sequelize);
        if (ambient) given.transaction = ambient;
      }
      if (!work) return originalTransaction(given);
      return originalTransaction(given, (t) => storage.run(t, () => work(t)));
    },
  });
}

/** True when a transaction call would open a new root transaction (no explicit or ambient parent). */
export function opensRootTransaction(sequelize: Sequelize, options: TransactionOptions | undefined): boolean {
  if (options?.transaction) return false;
  if (options?.transaction === null) return true;
  return !currentTransaction(sequelize);
}

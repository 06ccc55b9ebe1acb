import sqlite3 from 'sqlite3';
import { QueryTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { currentTransaction } from './transaction';

/**
 * The lean read path: a read-only query on a hot page, run without the ORM. Sequelize spends more on a
 * small SELECT than the database does (building the SQL, capturing a stack per query, wrapping the SQLite
 * call in `serialize`, building model instances); a page that reads six rows pays that six times. Here the
 * SQL is written once with `:name` placeholders, turned into the dialect's positional form once, prepared
 * once per connection, and returns plain rows with their types made the same on both dialects.
 *
 * - SQLite: a read-only connection of its own on the store's file (WAL: it sees every committed write at
 *   once and waits for no writer), its statements prepared once. An in-memory store has no file to share,
 *   so there the query goes through Sequelize's connection.
 * - PostgreSQL: a connection of Sequelize's pool, the statement named so the server parses it once per
 *   connection.
 * - Inside a transaction (ambient), the query joins it through Sequelize: what the transaction wrote is seen.
 *
 * Reads only. Writes go through the models, transactional, so their hooks (read caches, events) run.
 */

/** How the columns of a row are typed, so both dialects give the same values (SQLite has no dates nor booleans). */
export interface LeanColumns {
  /** Timestamps: a Date, or null. */
  dates?: readonly string[];
  /** Booleans: SQLite's 0/1 become false/true. */
  booleans?: readonly string[];
  /** Numbers PostgreSQL returns as strings (COUNT, SUM, BIGINT, DECIMAL). */
  numbers?: readonly string[];
}

export interface LeanRead<Row> {
  /** Every row. */
  all(sequelize: Sequelize, params?: Record<string, unknown>): Promise<Row[]>;
  /** The first row, or undefined. */
  one(sequelize: Sequelize, params?: Record<string, unknown>): Promise<Row | undefined>;
}

/** Someone who wants to know each lean query run (the query-count tests count them beside Sequelize's). */
export type LeanQueryObserver = (sql: string) => void;

interface SqliteReader {
  db: sqlite3.Database;
  statements: Map<string, sqlite3.Statement>;
}

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}
interface ConnectionManager {
  getConnection(options: Record<string, unknown>): Promise<PgClient>;
  releaseConnection(connection: PgClient): void;
}

interface Store {
  reader?: Promise<SqliteReader | undefined>;
  observers: Set<LeanQueryObserver>;
}
const stores = new WeakMap<Sequelize, Store>();

function storeOf(sequelize: Sequelize): Store {
  let store = stores.get(sequelize);
  if (store) return store;
  store = { observers: new Set() };
  stores.set(sequelize, store);
  // The reader closes with the database (stopPlatform, a test's end).
  const close = sequelize.close.bind(sequelize);
  const owned = store;
  Object.defineProperty(sequelize, 'close', {
    configurable: true,
    writable: true,
    value: async () => {
      const reader = await owned.reader;
      owned.reader = undefined;
      if (reader) {
        for (const statement of reader.statements.values()) await new Promise<void>((resolve) => statement.finalize(() => resolve()));
        await new Promise<void>((resolve) => reader.db.close(() => resolve()));
      }
      return close();
    },
  });
  return store;
}

/** Calls `observer` with the SQL of every lean query run on this database; returns the disposer. */
export function observeLeanReads(sequelize: Sequelize, observer: LeanQueryObserver): () => void {
  const { observers } = storeOf(sequelize);
  observers.add(observer);
  return () => observers.delete(observer);
}

function storageFile(sequelize: Sequelize): string | undefined {
  const storage = (sequelize as unknown as { options: { storage?: string } }).options.storage;
  if (!storage || storage === ':memory:' || storage.includes('mode=memory')) return undefined;
  return storage;
}

function openReader(file: string): Promise<SqliteReader> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err);
      db.configure('busyTimeout', 5000);
      resolve({ db, statements: new Map() });
    });
  });
}

function readerOf(sequelize: Sequelize, store: Store): Promise<SqliteReader | undefined> {
  if (!store.reader) {
    const file = storageFile(sequelize);
    store.reader = file ? openReader(file) : Promise.resolve(undefined);
    // A reader that could not open is not kept: the next query tries again (and fails with the reason).
    store.reader.catch(() => (store.reader = undefined));
  }
  return store.reader;
}

/** `:name` placeholders → positional ones, with the order of the names; done once per query and dialect. */
function compile(sql: string, mark: (i: number) => string): { text: string; names: string[] } {
  const names: string[] = [];
  const text = sql.replace(/(?<![:\w]):([a-zA-Z_]\w*)/g, (_, name: string) => {
    let i = names.indexOf(name);
    if (i < 0) i = names.push(name) - 1;
    return mark(i + 1);
  });
  return { text, names };
}

function valuesOf(names: string[], params: Record<string, unknown>, sql: string): unknown[] {
  return names.map((name) => {
    if (!(name in params)) throw new Error(`lean read: no value for :${name} in ${sql}`);
    const v = params[name];
    if (typeof v === 'boolean') return v ? 1 : 0;
    return v instanceof Date ? v.toISOString().replace('T', ' ').replace('Z', ' +00:00') : v;
  });
}

let counter = 0;

interface Compiled {
  /** The prepared statement's name on PostgreSQL. */
  name: string;
  sql: string;
  sqlite: { text: string; names: string[] };
  pg: { text: string; names: string[] };
}

/**
 * A read-only query, written once with `:name` placeholders (`SELECT … WHERE slug = :slug`), run on any
 * database with `all(sequelize, { slug })`. Identifiers plain and unquoted, so one text fits both dialects.
 */
export function leanRead<Row = Record<string, unknown>>(sql: string, columns: LeanColumns = {}): LeanRead<Row> {
  const id = ++counter;
  // One compiled form per shape of the lists in the parameters (`IN (:ids)` with 3 ids is its own statement).
  const variants = new Map<string, Compiled>();
  const variantOf = (params: Record<string, unknown>): { compiled: Compiled; values: Record<string, unknown> } => {
    const lists = Object.entries(params).filter((e): e is [string, unknown[]] => Array.isArray(e[1]));
    const key = lists.map(([k, v]) => `${k}:${v.length}`).join(',');
    let compiled = variants.get(key);
    let values = params;
    if (lists.length) {
      values = { ...params };
      for (const [k, list] of lists) {
        delete values[k];
        list.forEach((v, i) => (values[`${k}__${i}`] = v));
      }
    }
    if (!compiled) {
      let text = sql;
      for (const [k, list] of lists) {
        if (!list.length) throw new Error(`lean read: :${k} is an empty list`);
        text = text.replace(new RegExp(`(?<![:\\w]):${k}\\b`, 'g'), list.map((_, i) => `:${k}__${i}`).join(', '));
      }
      compiled = { name: `agora_lean_${id}_${variants.size}`, sqlite: compile(text, () => '?'), pg: compile(text, (i) => `$${i}`), sql: text };
      variants.set(key, compiled);
    }
    return { compiled, values };
  };
  const { dates = [], booleans = [], numbers = [] } = columns;
  const typed = (row: Record<string, unknown>, dialect: string): Row => {
    for (const k of dates) {
      const v = row[k];
      if (v !== null && v !== undefined && !(v instanceof Date)) row[k] = new Date(String(v));
    }
    if (dialect === 'sqlite') for (const k of booleans) if (row[k] !== null && row[k] !== undefined) row[k] = Boolean(row[k]);
    for (const k of numbers) if (typeof row[k] === 'string') row[k] = Number(row[k]);
    return row as Row;
  };

  async function all(sequelize: Sequelize, given: Record<string, unknown> = {}): Promise<Row[]> {
    const { compiled, values: params } = variantOf(given);
    const { sqlite, pg, name } = compiled;
    const store = storeOf(sequelize);
    // Told of the queries that bypass Sequelize (its own are seen through sequelize.query).
    const observe = () => {
      for (const observer of store.observers) observer(sql);
    };
    const dialect = sequelize.getDialect();
    const transaction = currentTransaction(sequelize);
    if (!transaction && dialect === 'sqlite') {
      const reader = await readerOf(sequelize, store);
      if (reader) {
        observe();
        let statement = reader.statements.get(sqlite.text);
        if (!statement) reader.statements.set(sqlite.text, (statement = reader.db.prepare(sqlite.text)));
        const values = valuesOf(sqlite.names, params, sql);
        const rows = await new Promise<Record<string, unknown>[]>((resolve, reject) =>
          statement!.all(values, (err: Error | null, found: Record<string, unknown>[]) => (err ? reject(err) : resolve(found))),
        );
        return rows.map((r) => typed(r, dialect));
      }
    }
    if (!transaction && dialect === 'postgres') {
      const manager = (sequelize as unknown as { connectionManager: ConnectionManager }).connectionManager;
      observe();
      const client = await manager.getConnection({ type: 'read' });
      try {
        const { rows } = await client.query({ name, text: pg.text, values: valuesOf(pg.names, params, sql) });
        return rows.map((r) => typed(r, dialect));
      } finally {
        manager.releaseConnection(client);
      }
    }
    // In a transaction, or an in-memory SQLite store: through Sequelize (whose bind parameters are $1, $2…), raw rows.
    const rows = await sequelize.query<Record<string, unknown>>(pg.text, {
      type: QueryTypes.SELECT,
      bind: valuesOf(pg.names, params, sql),
      transaction,
    });
    return rows.map((r) => typed({ ...r }, dialect));
  }

  return {
    all,
    async one(sequelize, params) {
      return (await all(sequelize, params))[0];
    },
  };
}

export interface LeanModelRead<M extends Model> {
  /** Every row, as instances of the model (built from the row, no query of their own). */
  all(params?: Record<string, unknown>): Promise<M[]>;
  /** The first row as an instance, or null. */
  one(params?: Record<string, unknown>): Promise<M | null>;
}

/**
 * A lean read of one model's rows: `SELECT <its columns> FROM <its table> <rest>` (rest: `WHERE slug = :slug
 * LIMIT 1`), its dates and booleans typed from the model's attributes, each row built into an instance
 * (`build(row, { raw: true, isNewRecord: false })`, as a finder would) so callers keep the model's methods.
 * The SQL is made on first use, once the model is initialised.
 */
export function leanModelRead<M extends Model>(model: ModelStatic<M>, rest: string): LeanModelRead<M> {
  let read: LeanRead<Record<string, unknown>> | undefined;
  const readOf = () => {
    if (read) return read;
    const attributes = Object.entries(model.getAttributes()) as Array<[string, { field?: string; type: unknown }]>;
    const column = ([name, a]: [string, { field?: string }]) => (a.field && a.field !== name ? `${a.field} AS ${name}` : name);
    const typed = (kind: 'DATE' | 'BOOLEAN') => attributes.filter(([, a]) => (a.type as { key?: string }).key === kind).map(([name]) => name);
    read = leanRead(`SELECT ${attributes.map(column).join(', ')} FROM ${model.getTableName() as string} ${rest}`, { dates: typed('DATE'), booleans: typed('BOOLEAN') });
    return read;
  };
  const sequelizeOf = () => {
    if (!model.sequelize) throw new Error(`lean read of ${model.name}: the model is not initialised`);
    return model.sequelize;
  };
  const build = (row: Record<string, unknown>) => model.build(row as never, { raw: true, isNewRecord: false });
  return {
    async all(params) {
      return (await readOf().all(sequelizeOf(), params)).map(build);
    },
    async one(params) {
      const row = await readOf().one(sequelizeOf(), params);
      return row ? build(row) : null;
    },
  };
}

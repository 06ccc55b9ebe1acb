import type { Model, ModelStatic, Sequelize, Transaction } from 'sequelize';
import type { InstanceBus } from '../cluster/instance-bus';
import { log } from '../log';
import { afterCommit, currentTransaction } from './transaction';

/** The bus topic of a read cache whose data changed on some instance: every instance drops it. */
export const READ_CACHE_STALE = 'core.read-cache.stale';

type AnyModel = ModelStatic<Model>;

interface Store {
  /** Cache name → key → the loaded value (a promise, so concurrent first reads share one query). */
  values: Map<string, Map<string, Promise<unknown>>>;
  /** Model name → the caches that read it. */
  readers: Map<string, Set<string>>;
  bus?: InstanceBus;
}

/** One store per database (tests run several stores in one process; each has its own data). */
const stores = new WeakMap<Sequelize, Store>();

const WRITE_HOOKS = ['afterCreate', 'afterUpdate', 'afterDestroy', 'afterUpsert', 'afterBulkCreate', 'afterBulkUpdate', 'afterBulkDestroy'] as const;

function storeOf(sequelize: Sequelize): Store {
  let store = stores.get(sequelize);
  if (store) return store;
  store = { values: new Map(), readers: new Map() };
  stores.set(sequelize, store);
  const changed = (modelName: string | undefined, transaction: Transaction | null | undefined) => {
    const names = modelName ? store!.readers.get(modelName) : undefined;
    if (!names?.size) return;
    // Dropped now (this request's next read sees its own change) and again once the change is committed, so
    // a read by another request in between, which still saw the old rows, is not kept.
    for (const name of names) store!.values.delete(name);
    afterCommit(transaction ?? currentTransaction(sequelize), () => {
      for (const name of names) store!.values.delete(name);
      const bus = store!.bus;
      if (bus) return bus.publish(READ_CACHE_STALE, { names: [...names], origin: bus.instanceId });
    });
  };
  // Universal hooks see every model's writes through Sequelize (instance saves and bulk updates alike).
  for (const hook of WRITE_HOOKS) {
    sequelize.addHook(hook, `core.read-cache.${hook}`, (...args: unknown[]) => {
      const { model, transaction } = writeOf(args);
      changed(model, transaction);
    });
  }
  return store;
}

interface HookArg {
  constructor?: { name?: string };
  model?: AnyModel;
  transaction?: Transaction | null;
}

/** The model a write hook is about and its transaction, from whichever form of arguments the hook has. */
function writeOf(args: unknown[]): { model?: string; transaction?: Transaction | null } {
  let model: string | undefined;
  let transaction: Transaction | null | undefined;
  for (const arg of args) {
    const items = Array.isArray(arg) ? (arg as HookArg[]) : [arg as HookArg];
    for (const item of items) {
      if (!item || typeof item !== 'object') continue;
      model ??= item.model?.name ?? (item.constructor && item.constructor !== Object ? item.constructor.name : undefined);
      transaction ??= item.transaction;
    }
  }
  return { model, transaction };
}

/**
 * Lets the read caches of this database follow changes made on other instances (Redis pub/sub when
 * REDIS_URL is set). Called once by createPlatform; returns the unsubscribe.
 */
export function shareReadCachesThrough(sequelize: Sequelize, bus: InstanceBus): () => void {
  const store = storeOf(sequelize);
  store.bus = bus;
  const unsubscribe = bus.subscribe(READ_CACHE_STALE, (message) => {
    if (message.origin === bus.instanceId || !Array.isArray(message.names)) return;
    for (const name of message.names) if (typeof name === 'string') store.values.delete(name);
  });
  return () => {
    unsubscribe();
    if (store.bus === bus) store.bus = undefined;
  };
}

export interface ReadCache<T> {
  /** The cached value for `key` ('' when the read takes no argument), loading it on first need. */
  get(key?: string): Promise<T>;
  /** Drops every key on this instance (the models' writes do it by themselves). */
  clear(sequelize: Sequelize): void;
}

/**
 * A read that every page makes and that changes rarely (the header's categories, the policies a form
 * shows), kept in memory per database. Any write through Sequelize to one of `models` (create, save,
 * update, destroy, bulk or not) drops it, here at once and after commit, and on every other instance
 * through the bus. A write by raw SQL is not seen: a read whose data is written that way must not be
 * cached. The value is shared by every request: treat it as read-only.
 */
export function readCache<T>(name: string, models: AnyModel[], load: (key: string) => Promise<T>): ReadCache<T> {
  const sequelizeOf = () => {
    const sequelize = models[0]?.sequelize;
    if (!sequelize) throw new Error(`read cache ${name}: its models are not initialised`);
    return sequelize;
  };
  return {
    get(key = '') {
      const sequelize = sequelizeOf();
      const store = storeOf(sequelize);
      for (const model of models) {
        let readers = store.readers.get(model.name);
        if (!readers) store.readers.set(model.name, (readers = new Set()));
        readers.add(name);
      }
      let values = store.values.get(name);
      if (!values) store.values.set(name, (values = new Map()));
      let hit = values.get(key) as Promise<T> | undefined;
      if (!hit) {
        const mine = values;
        hit = load(key);
        mine.set(key, hit);
        // A failed read is not kept: the next request tries again.
        hit.catch((error: unknown) => {
          if (mine.get(key) === hit) mine.delete(key);
          log.debug({ err: error, cache: name }, 'a cached read failed');
        });
      }
      return hit;
    },
    clear(sequelize) {
      stores.get(sequelize)?.values.delete(name);
    },
  };
}

import { QueryTypes, type Sequelize } from 'sequelize';
import type { InstanceBus } from '../cluster/instance-bus';
import { log } from '../log';
import { afterCommit, currentTransaction, outsideTransaction } from './transaction';

/** The bus topic of a changed option: every other instance reads the key again. */
export const OPTION_CHANGED = 'core.option.changed';

/** Site-wide settings as JSON values under a key (`theme.active`, `plugin.shops.settings`, ...), cached in memory. */
export class Options {
  private cache = new Map<string, unknown>();
  private loaded = false;
  private bus: InstanceBus | undefined;
  private readonly changeListeners = new Set<(key: string) => void>();

  constructor(private readonly sequelize: Sequelize) {}

  /**
   * Keeps every instance's cache true: a key this instance writes is announced after the commit, and a key
   * another instance wrote is read again here at once (the cache is never older than the bus's latency).
   */
  shareThrough(bus: InstanceBus): () => void {
    this.bus = bus;
    const unsubscribe = bus.subscribe(OPTION_CHANGED, (message) => {
      if (message.origin === bus.instanceId || typeof message.key !== 'string') return;
      const key = message.key;
      void this.reload(key).catch((error: unknown) => log.warn({ err: error, key }, 'could not read an option another instance changed'));
    });
    return () => {
      unsubscribe();
      this.bus = undefined;
    };
  }

  /** Called with the key after a change, made here or (through the bus) on another instance. */
  onChange(listener: (key: string) => void): () => void {
    this.changeListeners.add(listener);
    return () => void this.changeListeners.delete(listener);
  }

  async load(): Promise<void> {
    const rows = await this.sequelize.query<{ key: string; value: string }>('SELECT key, value FROM options', { type: QueryTypes.SELECT });
    this.cache = new Map(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    this.loaded = true;
  }

  get<T>(key: string, fallback: T): T {
    if (!this.loaded) throw new Error('Options read before load()');
    return this.cache.has(key) ? (this.cache.get(key) as T) : fallback;
  }

  async set(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value);
    const now = new Date();
    const [, affected] = await this.sequelize.query('UPDATE options SET value = ?, updated_at = ? WHERE key = ?', {
      replacements: [json, now, key],
      type: QueryTypes.UPDATE,
    });
    if (!affected) {
      await this.sequelize.query('INSERT INTO options (key, value, updated_at) VALUES (?, ?, ?)', { replacements: [key, json, now] });
    }
    this.cache.set(key, value);
    this.announce(key);
  }

  async delete(key: string): Promise<void> {
    await this.sequelize.query('DELETE FROM options WHERE key = ?', { replacements: [key] });
    this.cache.delete(key);
    this.announce(key);
  }

  /** Reads one key again from the database (its row gone: the key is forgotten). */
  private async reload(key: string): Promise<void> {
    const rows = await outsideTransaction(this.sequelize, () =>
      this.sequelize.query<{ value: string }>('SELECT value FROM options WHERE key = ?', { replacements: [key], type: QueryTypes.SELECT }),
    );
    if (rows.length) this.cache.set(key, JSON.parse(rows[0].value) as unknown);
    else this.cache.delete(key);
    this.changed(key);
  }

  private announce(key: string): void {
    this.changed(key);
    const bus = this.bus;
    if (!bus) return;
    // After the commit, or another instance could read the old row; `origin` lets this instance skip its own.
    afterCommit(currentTransaction(this.sequelize), () => bus.publish(OPTION_CHANGED, { key, origin: bus.instanceId }));
  }

  private changed(key: string): void {
    for (const listener of this.changeListeners) {
      try {
        listener(key);
      } catch (error) {
        log.error({ err: error, key }, 'an option change listener failed');
      }
    }
  }
}

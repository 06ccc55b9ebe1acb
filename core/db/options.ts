import { QueryTypes, type Sequelize } from 'sequelize';

/** Site-wide settings as JSON values under a key (`theme.active`, `plugin.shops.settings`, ...), cached in memory. */
export class Options {
  private cache = new Map<string, unknown>();
  private loaded = false;

  constructor(private readonly sequelize: Sequelize) {}

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
  }

  async delete(key: string): Promise<void> {
    await this.sequelize.query('DELETE FROM options WHERE key = ?', { replacements: [key] });
    this.cache.delete(key);
  }
}

import sqlite3 from 'sqlite3';

type Callback = (this: unknown, err: Error | null, rows: unknown[]) => void;

const TABLE_INFO = /^PRAGMA table_info\(`?([^`)]+)`?\)$/;
const SCHEMA_CHANGE = /^\s*(CREATE|ALTER|DROP)\b/i;
/** Column lists per table, shared by every connection of the process (Sequelize opens one per transaction). */
const tableInfo = new Map<string, unknown[]>();

/**
 * sqlite3, as Sequelize's `dialectModule`, with one difference: `PRAGMA table_info(...)` is answered from
 * memory after its first run. Sequelize's SQLite dialect asks it before every model SELECT (to read column
 * types), which doubled the round trips to the database thread of every page. Any CREATE, ALTER or DROP
 * run in this process (migrations, plugin installs and uninstalls) empties the memory.
 */
class TableInfoCachingDatabase extends sqlite3.Database {
  override all(sql: string, ...rest: unknown[]): this {
    const match = TABLE_INFO.exec(sql);
    const callback = rest[rest.length - 1];
    if (match && rest.length === 1 && typeof callback === 'function') {
      const done = callback as Callback;
      const hit = tableInfo.get(match[1]);
      if (hit) {
        process.nextTick(() => done.call(this, null, hit));
        return this;
      }
      return super.all(sql, (err: Error | null, rows: unknown[]) => {
        if (!err) tableInfo.set(match[1], rows);
        done.call(this, err, rows);
      });
    }
    forgetOnSchemaChange(sql);
    return (super.all as (...args: unknown[]) => this)(sql, ...rest);
  }

  override run(sql: string, ...rest: unknown[]): this {
    forgetOnSchemaChange(sql);
    return (super.run as (...args: unknown[]) => this)(sql, ...rest);
  }

  override exec(sql: string, callback?: (err: Error | null) => void): this {
    forgetOnSchemaChange(sql);
    return super.exec(sql, callback);
  }
}

function forgetOnSchemaChange(sql: unknown): void {
  if (typeof sql === 'string' && SCHEMA_CHANGE.test(sql)) tableInfo.clear();
}

export const sqliteDriver = { ...sqlite3, Database: TableInfoCachingDatabase };

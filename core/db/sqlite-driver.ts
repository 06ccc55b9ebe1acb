import path from 'node:path';
import sqlite3 from 'sqlite3';

type Callback = (this: unknown, err: Error | null, rows: unknown[]) => void;
type TableInfo = Map<string, unknown[]>;

const TABLE_INFO = /^PRAGMA table_info\(`?([^`)]+)`?\)$/;
const SCHEMA_CHANGE = /^\s*(CREATE|ALTER|DROP)\b/i;

/**
 * Column lists per table, one memory per database file: shared by the connections of that file
 * (Sequelize opens one per transaction; a restarted app opens the same file again), never by two
 * databases that happen to have a table of the same name. An in-memory database has its own.
 */
const byFile = new Map<string, TableInfo>();

function tableInfoFor(filename: string): TableInfo {
  if (filename === '' || filename === ':memory:' || filename.includes('mode=memory')) return new Map();
  const key = filename.startsWith('file:') ? filename : path.resolve(filename);
  let info = byFile.get(key);
  if (!info) byFile.set(key, (info = new Map()));
  return info;
}

/**
 * sqlite3, as Sequelize's `dialectModule`, with one difference: `PRAGMA table_info(...)` is answered from
 * memory after its first run. Sequelize's SQLite dialect asks it before every model SELECT (to read column
 * types), which doubled the round trips to the database thread of every page. Any CREATE, ALTER or DROP
 * run on the file from this process (migrations, plugin installs and uninstalls) empties its memory.
 */
class TableInfoCachingDatabase extends sqlite3.Database {
  private readonly tableInfo: TableInfo;

  constructor(filename: string, mode?: number | ((err: Error | null) => void), callback?: (err: Error | null) => void) {
    if (typeof mode === 'function') super(filename, mode);
    else super(filename, mode, callback);
    this.tableInfo = tableInfoFor(filename);
  }

  override all(sql: string, ...rest: unknown[]): this {
    const match = TABLE_INFO.exec(sql);
    const callback = rest[rest.length - 1];
    if (match && rest.length === 1 && typeof callback === 'function') {
      const done = callback as Callback;
      const hit = this.tableInfo.get(match[1]);
      if (hit) {
        process.nextTick(() => done.call(this, null, hit));
        return this;
      }
      return super.all(sql, (err: Error | null, rows: unknown[]) => {
        if (!err) this.tableInfo.set(match[1], rows);
        done.call(this, err, rows);
      });
    }
    this.forgetOnSchemaChange(sql);
    return (super.all as (...args: unknown[]) => this)(sql, ...rest);
  }

  override run(sql: string, ...rest: unknown[]): this {
    this.forgetOnSchemaChange(sql);
    return (super.run as (...args: unknown[]) => this)(sql, ...rest);
  }

  override exec(sql: string, callback?: (err: Error | null) => void): this {
    this.forgetOnSchemaChange(sql);
    return super.exec(sql, callback);
  }

  private forgetOnSchemaChange(sql: unknown): void {
    if (typeof sql === 'string' && SCHEMA_CHANGE.test(sql)) this.tableInfo.clear();
  }
}

export const sqliteDriver = { ...sqlite3, Database: TableInfoCachingDatabase };

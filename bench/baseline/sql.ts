import sqlite3 from 'sqlite3';
import pg from 'pg';

export interface Db {
  dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
}

/** `:name` placeholders (arrays expand to lists) → the driver's positional form. */
function positional(sql: string, params: Record<string, unknown>, mark: (i: number) => string): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const text = sql.replace(/(?<!:):([a-zA-Z_]\w*)/g, (_, name: string) => {
    const v = params[name];
    if (Array.isArray(v)) return v.map((x) => (values.push(x), mark(values.length))).join(', ');
    values.push(v instanceof Date ? v.toISOString() : v);
    return mark(values.length);
  });
  return { text, values };
}

/** The raw driver, no ORM: what a hand-written Express app would use. */
export async function openDb(url: string): Promise<Db> {
  if (url.startsWith('sqlite:')) {
    const db = new sqlite3.Database(url.slice('sqlite:'.length), sqlite3.OPEN_READONLY);
    return {
      dialect: 'sqlite',
      all: <T>(sql: string, params: Record<string, unknown> = {}) =>
        new Promise<T[]>((resolve, reject) => {
          const { text, values } = positional(sql, params, () => '?');
          db.all(text, values, (err, rows) => (err ? reject(err) : resolve(rows as T[])));
        }),
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params: Record<string, unknown> = {}) => {
      const { text, values } = positional(sql, params, (i) => `$${i}`);
      return (await pool.query(text, values)).rows as T[];
    },
  };
}

import crypto from 'node:crypto';
import pg from 'pg';

/** `DB=postgres` runs the suite on the local PostgreSQL; each test app gets a fresh database of its own. */
export const usePostgres = process.env.DB === 'postgres';
const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(sqliteFile: string): Promise<TestDatabase> {
  if (!usePostgres) return { url: `sqlite:${sqliteFile}`, drop: async () => {} };
  const name = `agora_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

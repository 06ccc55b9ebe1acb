import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { createDatabase } from '../../core/db/database';
import { planTemplate, sqliteTemplate, sqliteTemplatePath, templatesEnabled, type PlannedTemplate, type TemplateSpec } from './database-template';

/** `DB=postgres` runs the suite on the local PostgreSQL; each test app gets a fresh database of its own. */
export const usePostgres = process.env.DB === 'postgres';
const adminUrl = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database, or with `template` one already migrated for that set of plugins: a copy of a template
 * built once per content key (see ./database-template). TEST_DB_TEMPLATES=0 turns templates off everywhere.
 */
export async function createTestDatabase(sqliteFile: string, template?: TemplateSpec): Promise<TestDatabase> {
  const plan = template && templatesEnabled ? planTemplate(template, usePostgres ? 'postgres' : 'sqlite') : undefined;
  if (!usePostgres) {
    if (plan) fs.copyFileSync(await sqliteTemplate(plan), sqliteFile);
    return { url: `sqlite:${sqliteFile}`, drop: async () => {} };
  }
  const name = `agora_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    if (plan) {
      const template = await postgresTemplate(admin, plan);
      await whileBusy(() => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
    }
    else await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: urlOf(name),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

function urlOf(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The template database of a plan, built under an advisory lock (the other mocha workers wait for it) into a
 * scratch name and renamed when whole: a build that fails or is killed never leaves a half-migrated template.
 */
async function postgresTemplate(admin: pg.Client, plan: PlannedTemplate): Promise<string> {
  const name = `agora_tpl_${plan.key}`;
  const exists = async () => (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  if (await exists()) return name;
  await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
  try {
    if (await exists()) return name;
    const building = `agora_tplb_${plan.key}_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${building}`);
    const sequelize = createDatabase(urlOf(building));
    try {
      await plan.build(sequelize);
    } finally {
      await sequelize.close();
    }
    await admin.query(`COMMENT ON DATABASE ${building} IS '${TEMPLATE_COMMENT}${new Date().toISOString()}'`);
    // A closed connection's backend may still be exiting: the rename, like a copy, waits for it.
    await whileBusy(() => admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`));
    await pruneOldTemplates(admin);
    return name;
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
  }
}

const TEMPLATE_COMMENT = 'agora test template, built ';
/** Templates are keyed on content, so old ones are never used by mistake, only kept: those built a day ago go. */
const TEMPLATE_LIFETIME_MS = 24 * 3600_000;

async function pruneOldTemplates(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string; comment: string | null }>(
    "SELECT datname, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname LIKE 'agora\\_tpl\\_%'",
  );
  for (const { datname, comment } of rows) {
    const built = Date.parse(comment?.startsWith(TEMPLATE_COMMENT) ? comment.slice(TEMPLATE_COMMENT.length) : '');
    if (Number.isFinite(built) && Date.now() - built > TEMPLATE_LIFETIME_MS) await admin.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => undefined);
  }
}

/** Drops the template of a plan (a test that made one of its own, on a scratch copy of a plugin). */
export async function dropTemplate(plan: PlannedTemplate): Promise<void> {
  if (!usePostgres) {
    fs.rmSync(sqliteTemplatePath(plan), { force: true });
    return;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS agora_tpl_${plan.key} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * CREATE DATABASE … TEMPLATE and ALTER DATABASE … RENAME refuse while a session is connected to that database
 * (error 55006); such a session is one just closing, so a short wait does it.
 */
async function whileBusy(statement: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await statement();
      return;
    } catch (error) {
      const busy = (error as { code?: string }).code === '55006';
      if (!busy || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

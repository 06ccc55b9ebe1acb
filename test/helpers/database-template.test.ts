import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import { DEFAULT_PLUGINS } from '../../core/create-platform';
import { fixturesDir, startTestApp, type TestApp } from './app';
import { planTemplate } from './database-template';
import { createTestDatabase, dropTemplate, usePostgres } from './database';
import { createDatabase } from '../../core/db/database';

/** Every table, column, index and applied migration: what a test may see of the schema. */
async function schemaOf(sequelize: Sequelize): Promise<string[]> {
  const rows = async (sql: string) => (await sequelize.query<Record<string, unknown>>(sql, { type: QueryTypes.SELECT })).map((r) => JSON.stringify(r));
  const migrations = await rows('SELECT owner, name FROM agora_migrations ORDER BY owner, name');
  if (usePostgres) {
    return [
      ...migrations,
      ...(await rows(
        "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name",
      )),
      ...(await rows("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname")),
    ];
  }
  return [...migrations, ...(await rows("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name <> 'sqlite_sequence' ORDER BY type, name"))];
}

describe('test databases: a migrated template per set of plugins', function () {
  this.timeout(120_000);
  const apps: TestApp[] = [];
  after(async () => {
    for (const t of apps) await t.close();
  });

  it('gives a test app the same schema and migration records as running every migration', async () => {
    const fresh = await startTestApp({ plugins: DEFAULT_PLUGINS, freshMigrations: true });
    apps.push(fresh);
    const copied = await startTestApp({ plugins: DEFAULT_PLUGINS });
    apps.push(copied);
    const [a, b] = [await schemaOf(fresh.platform.sequelize), await schemaOf(copied.platform.sequelize)];
    expect(a.length).to.be.greaterThan(100);
    expect(b).to.deep.equal(a);
  });

  it('holds what migrations make and no first-start state: the app makes its own admin, plugin states and key probe', async () => {
    const t = await startTestApp({ plugins: ['shops', 'reviews'] });
    apps.push(t);
    const count = async (sql: string) => Number((await t.platform.sequelize.query<{ n: number }>(sql, { type: QueryTypes.SELECT }))[0].n);
    expect(await count("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'")).to.equal(1);
    expect(t.platform.plugins.isActive('reviews')).to.equal(true);
    // The data-key probe recorded is this app's own key, which the template never saw.
    expect(t.platform.encryption.usedKeyIds()).to.deep.equal([t.platform.encryption.usedKeyIds()[0]]);
    const other = await startTestApp({ plugins: ['shops', 'reviews'] });
    apps.push(other);
    expect(other.platform.encryption.usedKeyIds()).not.to.deep.equal(t.platform.encryption.usedKeyIds());
  });

  it('is keyed on the content of every migration: a changed migration is seen by the next test database', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-template-plugins-'));
    const dialect = usePostgres ? 'postgres' : 'sqlite';
    const built: ReturnType<typeof planTemplate>[] = [];
    const columnsOfGreetings = async () => {
      built.push(planTemplate(spec, dialect));
      const db = await createTestDatabase(path.join(dir, `copy-${Date.now()}-${Math.random()}.sqlite`), spec);
      const sequelize = createDatabase(db.url);
      try {
        return Object.keys(await sequelize.getQueryInterface().describeTable('hello_greetings'));
      } finally {
        await sequelize.close();
        await db.drop();
      }
    };
    const spec = { plugins: ['hello'], pluginDirs: [path.join(dir, 'plugins')] };
    try {
      fs.cpSync(path.join(fixturesDir, 'plugins', 'hello'), path.join(dir, 'plugins', 'hello'), { recursive: true });
      const before = planTemplate(spec, dialect).key;
      expect(planTemplate(spec, dialect).key, 'the same files, the same key').to.equal(before);
      expect(planTemplate({ ...spec, plugins: [] }, dialect).key, 'another set of plugins').not.to.equal(before);
      expect(await columnsOfGreetings()).not.to.include('template_probe');

      const migration = path.join(dir, 'plugins', 'hello', 'migrations', '0001-greetings.ts');
      const source = fs.readFileSync(migration, 'utf8');
      const changed = source.replace("createTable('hello_greetings', {", "createTable('hello_greetings', {\n    template_probe: { type: T.STRING(20), allowNull: true },");
      expect(changed, 'the fixture migration creates hello_greetings').not.to.equal(source);
      fs.writeFileSync(migration, changed);
      expect(planTemplate(spec, dialect).key).not.to.equal(before);
      expect(await columnsOfGreetings()).to.include('template_probe');
    } finally {
      // Its templates hold a scratch copy of a plugin: nobody else will ask for them.
      for (const plan of built) await dropTemplate(plan);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

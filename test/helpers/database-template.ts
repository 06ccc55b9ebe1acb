import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sequelize } from 'sequelize';
import { rootDir } from '../../core/config';
import { createDatabase } from '../../core/db/database';
import { migrateUp } from '../../core/db/migrator';
import { DataKeyring } from '../../core/privacy/encryption/data-keys';
import { bindDataKeys } from '../../core/privacy/encryption/encrypted-attribute';
import { discoverPlugins } from '../../core/plugins/plugin-discovery';
import { checkRequirements, dependencyOrder } from '../../core/plugins/plugin-dependencies';
import type { PluginRecord } from '../../core/plugins/plugin-state';

/**
 * A migrated database to copy, one per set of plugins: running every migration costs a test app about 0.3 s on
 * SQLite and 1 s on PostgreSQL (all plugins), copying a migrated one a few milliseconds. The template holds what
 * the migrations make and nothing else (no plugin state, no admin, no data-key probe): the test app's first start
 * still activates its plugins, creates the admin and records its own data key, exactly as on an empty database.
 */
export interface TemplateSpec {
  /** The plugins the test app activates on its first start, as given to startPlatform. */
  plugins: string[];
  /** Extra folders of bundled plugins (the test fixtures). */
  pluginDirs: string[];
}

export interface PlannedTemplate {
  /** Content hash: the plugin set, every migration file it runs and the code that runs them. */
  key: string;
  /** Migrate an empty database the way a first start would. */
  build(sequelize: Sequelize): Promise<void>;
}

/**
 * Files whose content decides what the migrations make, besides the migration files themselves: a change to
 * any of them (or to a migration, or to this file) is a new key, so no test ever runs on a stale schema.
 */
const CODE_THAT_MIGRATES = ['core/db/migrator.ts', 'core/db/database.ts', 'core/privacy/encryption/column-migration.ts', 'core/privacy/encryption/data-keys.ts', 'test/helpers/database-template.ts'];

export function planTemplate(spec: TemplateSpec, dialect: 'sqlite' | 'postgres'): PlannedTemplate {
  const records = new Map<string, PluginRecord>();
  discoverPlugins([{ dir: path.join(rootDir, 'plugins'), source: 'bundled' }, ...spec.pluginDirs.map((dir) => ({ dir, source: 'bundled' as const }))], records);
  const ordered = dependencyOrder(spec.plugins.filter((name) => records.has(name)), records);
  const hash = crypto.createHash('sha256').update(`agora-test-template v1\n${dialect}\n${ordered.join(',')}\n`);
  for (const file of CODE_THAT_MIGRATES) hashFile(hash, path.join(rootDir, file));
  hashMigrations(hash, path.join(rootDir, 'core', 'db', 'migrations'));
  for (const name of ordered) {
    const record = records.get(name)!;
    hashFile(hash, path.join(record.dir, 'plugin.json'));
    hashMigrations(hash, path.join(record.dir, 'migrations'));
  }
  return {
    key: hash.digest('hex').slice(0, 24),
    async build(sequelize) {
      // Migrations that encrypt a column need a keyring bound; on empty tables nothing is encrypted with it.
      bindDataKeys(sequelize, new DataKeyring([crypto.randomBytes(32).toString('hex')]));
      await migrateUp(sequelize, 'core', path.join(rootDir, 'core', 'db', 'migrations'));
      // As boot does: dependencies first, and a plugin whose requirements are not met runs no migration.
      for (const name of ordered) {
        const record = records.get(name)!;
        try {
          checkRequirements(record, records);
        } catch {
          continue;
        }
        await migrateUp(sequelize, name, path.join(record.dir, 'migrations'));
        record.status = 'active';
      }
    },
  };
}

function hashMigrations(hash: crypto.Hash, dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const file of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, file);
    if (fs.statSync(full).isFile()) hashFile(hash, full);
  }
}

function hashFile(hash: crypto.Hash, file: string): void {
  hash.update(`\n${path.relative(rootDir, file)}\n`);
  if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
}

/** Where SQLite templates are kept between runs (content-keyed, so an old one is never picked up by mistake). */
export const sqliteTemplateDir = path.join(os.tmpdir(), 'agora-test-templates');

/** Builds the SQLite template once (two workers racing both build; the rename makes either result whole). */
export async function sqliteTemplate(plan: PlannedTemplate): Promise<string> {
  const file = sqliteTemplatePath(plan);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(sqliteTemplateDir, { recursive: true });
  pruneOldTemplates();
  const building = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const sequelize = createDatabase(`sqlite:${building}`);
  try {
    await sequelize.query('PRAGMA foreign_keys = ON');
    await plan.build(sequelize);
    // One self-contained file to copy: no write-ahead log beside it. Each test app turns WAL on again.
    await sequelize.query('PRAGMA journal_mode = DELETE');
  } finally {
    await sequelize.close();
  }
  fs.renameSync(building, file);
  return file;
}

export function sqliteTemplatePath(plan: PlannedTemplate): string {
  return path.join(sqliteTemplateDir, `${plan.key}.sqlite`);
}

/** Templates are keyed on content, so old ones are never used by mistake, only kept: those built a day ago go. */
function pruneOldTemplates(): void {
  for (const entry of fs.readdirSync(sqliteTemplateDir)) {
    const full = path.join(sqliteTemplateDir, entry);
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > 24 * 3600_000) fs.rmSync(full, { force: true });
  }
}

/** Whether test apps start from a migrated template: TEST_DB_TEMPLATES=0 makes every one run every migration. */
export const templatesEnabled = process.env.TEST_DB_TEMPLATES !== '0';

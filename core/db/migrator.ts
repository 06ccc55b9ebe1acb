import path from 'node:path';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Umzug, UmzugStorage, MigrationParams } from 'umzug';
import { DataTypes, QueryTypes, type QueryInterface, type Sequelize } from 'sequelize';
import { withAdvisoryLock } from '../cluster/advisory-lock';
import { refreshPlannerStatistics } from './planner-statistics';

export interface MigrationContext {
  queryInterface: QueryInterface;
  sequelize: Sequelize;
  DataTypes: typeof DataTypes;
}

/** What a migration file exports. */
export interface Migration {
  up(params: MigrationParams<MigrationContext>): Promise<void>;
  down(params: MigrationParams<MigrationContext>): Promise<void>;
}

const TABLE = 'agora_migrations';

/** Records applied migrations per owner (core or a plugin's name) in one table. */
class OwnerStorage implements UmzugStorage<MigrationContext> {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly owner: string,
  ) {}

  async logMigration({ name }: { name: string }): Promise<void> {
    await this.sequelize.query(`INSERT INTO ${TABLE} (owner, name, applied_at) VALUES (?, ?, ?)`, {
      replacements: [this.owner, name, new Date().toISOString()],
    });
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    await this.sequelize.query(`DELETE FROM ${TABLE} WHERE owner = ? AND name = ?`, { replacements: [this.owner, name] });
  }

  async executed(): Promise<string[]> {
    const rows = await this.sequelize.query<{ name: string }>(`SELECT name FROM ${TABLE} WHERE owner = ? ORDER BY name`, {
      replacements: [this.owner],
      type: QueryTypes.SELECT,
    });
    return rows.map((r) => r.name);
  }
}

export async function ensureMigrationTable(sequelize: Sequelize): Promise<void> {
  await sequelize.query(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (owner VARCHAR(100) NOT NULL, name VARCHAR(255) NOT NULL, applied_at VARCHAR(40) NOT NULL, PRIMARY KEY (owner, name))`,
  );
}

function migrationFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^\d.*\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort() : [];
}

async function migratorFor(sequelize: Sequelize, owner: string, dir: string): Promise<Umzug<MigrationContext>> {
  const files = migrationFiles(dir);
  // Umzug (with the command-line parts it loads, about 20 MB resident) only when there is something to run.
  const { Umzug } = await import('umzug');
  return new Umzug<MigrationContext>({
    migrations: files.map((file) => {
      const full = path.join(dir, file);
      const name = file.replace(/\.(ts|js)$/, '');
      // The file's mtime in the URL: a migration replaced on disk (a plugin uploaded again) is loaded afresh.
      const load = async (): Promise<Migration> => {
        const cache = createRequire(import.meta.url).cache;
        delete cache[full];
        return (await import(`${pathToFileURL(full).href}?mtime=${fs.statSync(full).mtimeMs}`)) as Migration;
      };
      return {
        name,
        up: async (params) => (await load()).up(params),
        down: async (params) => (await load()).down(params),
      };
    }),
    context: { queryInterface: sequelize.getQueryInterface(), sequelize, DataTypes },
    storage: new OwnerStorage(sequelize, owner),
    logger: undefined,
  });
}

/**
 * Applies an owner's pending migrations, in file-name order. On PostgreSQL under an advisory lock: of two
 * instances starting at once, one migrates and the other then finds nothing pending.
 */
export function migrateUp(sequelize: Sequelize, owner: string, dir: string): Promise<string[]> {
  return withAdvisoryLock(sequelize, 'agora:migrations', async () => {
    await ensureMigrationTable(sequelize);
    const executed = new Set(await new OwnerStorage(sequelize, owner).executed());
    // The usual start: every migration applied already, so Umzug is not even loaded.
    if (migrationFiles(dir).every((file) => executed.has(file.replace(/\.(ts|js)$/, '')))) return [];
    const done = await (await migratorFor(sequelize, owner, dir)).up();
    if (done.length) await refreshPlannerStatistics(sequelize);
    return done.map((m) => m.name);
  });
}

/** Reverts every migration of an owner: used by uninstall, so the owner's tables go with it. */
export function migrateDownAll(sequelize: Sequelize, owner: string, dir: string): Promise<string[]> {
  return withAdvisoryLock(sequelize, 'agora:migrations', async () => {
    await ensureMigrationTable(sequelize);
    const done = await (await migratorFor(sequelize, owner, dir)).down({ to: 0 });
    return done.map((m) => m.name);
  });
}

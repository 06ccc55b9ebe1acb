import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import express, { type RequestHandler, type Router } from 'express';
import semver from 'semver';
import { QueryTypes } from 'sequelize';
import { log } from '../log';
import type { Platform } from '../platform';
import type { HookFailure } from '../hooks';
import { migrateDownAll, migrateUp } from '../db/migrator';
import { readManifest, type PluginManifest } from './manifest';
import { createPluginContext, type ContextHandle } from './context';
import type { PluginDefinition } from './define-plugin';
import { installPluginZip } from './zip-installer';

declare module '../hooks' {
  interface ActionMap {
    'core.plugin.activated': [name: string];
    'core.plugin.deactivated': [name: string];
    'core.plugin.suspended': [name: string, failure: HookFailure];
  }
}

export const CORE_VERSION = '1.0.0';

export type PluginStatus = 'installed' | 'active' | 'inactive' | 'suspended' | 'error';

export interface PluginRecord {
  manifest: PluginManifest;
  dir: string;
  source: 'bundled' | 'installed';
  status: PluginStatus;
  /** Why it is suspended or failed to start: shown in the admin panel. */
  problem?: string;
}

export class PluginError extends Error {}

interface StateRow {
  name: string;
  status: PluginStatus;
  version: string;
  source: string;
  suspended_reason: string | null;
}

/**
 * Finds plugins, keeps their state in the database, and runs their lifecycle:
 * installed → active (migrations, setup) → inactive → uninstalled. Routes of active plugins are served
 * through one gate, so (de)activation takes effect on the next request without a restart.
 */
export class PluginManager {
  private readonly records = new Map<string, PluginRecord>();
  private readonly handles = new Map<string, ContextHandle>();
  private readonly services = new Map<string, object>();
  private routers: ReadonlyArray<{ name: string; router: Router }> = [];
  private loads = 0;
  /** Lifecycle changes run one at a time: two admins pressing Activate together must not set a plugin up twice. */
  private lifecycle: Promise<unknown> = Promise.resolve();
  /** Which plugin defined each Sequelize model (by model name), learned while its setup ran. */
  private readonly modelOwners = new Map<string, string>();

  constructor(
    private readonly platform: Platform,
    private readonly searchDirs: Array<{ dir: string; source: 'bundled' | 'installed' }>,
  ) {
    platform.hooks.onSuspend((failure) => {
      void this.suspend(failure.owner, failure).catch((error) => log.error({ err: error }, 'suspending a plugin failed'));
    });
  }

  /** Reads every plugin folder; a folder whose manifest is invalid is logged and listed with its problem. */
  discover(): void {
    for (const { dir, source } of this.searchDirs) {
      if (!fs.existsSync(dir)) continue;
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
        const pluginDir = path.join(dir, entry.name);
        if (!fs.existsSync(path.join(pluginDir, 'plugin.json'))) continue;
        try {
          const manifest = readManifest(pluginDir);
          if (!this.records.has(manifest.name)) this.records.set(manifest.name, { manifest, dir: pluginDir, source, status: 'installed' });
        } catch (error) {
          log.warn({ dir: pluginDir, err: error }, 'plugin skipped: invalid manifest');
        }
      }
    }
  }

  /**
   * Activates what the database says is active. On the very first start (no state yet) every bundled
   * plugin listed in `defaults` is activated. A plugin that fails to start is marked and skipped: the site runs.
   */
  async boot(defaults: string[]): Promise<void> {
    this.discover();
    const rows = await this.platform.sequelize.query<StateRow>('SELECT * FROM plugin_states', { type: QueryTypes.SELECT });
    const firstStart = rows.length === 0;
    for (const row of rows) {
      const record = this.records.get(row.name);
      if (!record) continue;
      record.status = row.status === 'active' ? 'inactive' : row.status;
      record.problem = row.suspended_reason ?? undefined;
    }
    const wanted = firstStart ? defaults.filter((n) => this.records.has(n)) : rows.filter((r) => r.status === 'active').map((r) => r.name);
    for (const name of this.dependencyOrder(wanted)) {
      try {
        await this.activate(name);
      } catch (error) {
        const record = this.records.get(name);
        if (record) {
          record.status = 'error';
          record.problem = error instanceof Error ? error.message : String(error);
        }
        log.error({ plugin: name, err: error }, 'plugin failed to start; the site runs without it');
      }
    }
  }

  list(): PluginRecord[] {
    return [...this.records.values()].sort((a, b) => a.manifest.title.localeCompare(b.manifest.title));
  }

  get(name: string): PluginRecord | undefined {
    return this.records.get(name);
  }

  isActive(name: string): boolean {
    return this.records.get(name)?.status === 'active';
  }

  /** The plugin that defined a model, or undefined for core's own models. */
  modelOwner(modelName: string): string | undefined {
    return this.modelOwners.get(modelName);
  }

  /** Active plugins that require the given one. */
  dependents(name: string): string[] {
    return [...this.records.values()].filter((r) => r.status === 'active' && name in r.manifest.requires.plugins).map((r) => r.manifest.name);
  }

  activate(name: string): Promise<void> {
    return this.serial(() => this.activateNow(name));
  }

  deactivate(name: string): Promise<void> {
    return this.serial(() => this.deactivateNow(name));
  }

  /** Reverts the plugin's migrations (dropping its tables), runs its uninstall step, forgets it. */
  uninstall(name: string): Promise<void> {
    return this.serial(() => this.uninstallNow(name));
  }

  installZip(zip: Buffer): Promise<PluginManifest> {
    return this.serial(() => this.installZipNow(zip));
  }

  /**
   * A plugin whose listeners keep failing: unloaded for everyone, with the reason kept for the admin.
   * The active plugins that need it go down with it (first), since their calls into it would now fail.
   */
  suspend(name: string, failure: HookFailure): Promise<void> {
    return this.serial(() => this.suspendNow(name, failure));
  }

  /** Picks up changes another instance made: which plugins are active, the theme, settings. */
  sync(): Promise<void> {
    return this.serial(() => this.syncNow());
  }

  private async activateNow(name: string): Promise<void> {
    const record = this.require(name);
    if (record.status === 'active') return;
    const { manifest } = record;
    if (!semver.satisfies(CORE_VERSION, manifest.requires.core)) {
      throw new PluginError(`"${manifest.title}" needs Agora core ${manifest.requires.core}; this is ${CORE_VERSION}.`);
    }
    for (const [dep, range] of Object.entries(manifest.requires.plugins)) {
      const other = this.records.get(dep);
      if (!other) throw new PluginError(`"${manifest.title}" needs the plugin "${dep}" (${range}), which is not installed.`);
      if (other.status !== 'active') throw new PluginError(`"${manifest.title}" needs the plugin "${dep}" to be active first.`);
      if (!semver.satisfies(other.manifest.version, range)) {
        throw new PluginError(`"${manifest.title}" needs "${dep}" ${range}; version ${other.manifest.version} is installed.`);
      }
    }
    await migrateUp(this.platform.sequelize, name, path.join(record.dir, 'migrations'));
    const modelsBefore = new Set(Object.keys(this.platform.sequelize.models));
    const definition = await this.load(record);
    const handle = createPluginContext(this.platform, manifest, record.dir, this.services);
    const disposeViews = this.platform.resolver.registerOwner(name, path.join(record.dir, 'views'));
    handle.ctx.onDispose(disposeViews);
    const publicDir = path.join(record.dir, 'public');
    const router = express.Router();
    if (fs.existsSync(publicDir)) router.use(`/plugins/${name}`, express.static(publicDir, { maxAge: '7d', index: false }));
    router.use(handle.router);
    try {
      await definition.setup(handle.ctx);
    } catch (error) {
      await handle.dispose();
      throw new PluginError(`"${manifest.title}" failed to start: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const model of Object.keys(this.platform.sequelize.models)) {
      if (!modelsBefore.has(model) && !this.modelOwners.has(model)) this.modelOwners.set(model, name);
    }
    this.handles.set(name, handle);
    this.routers = [...this.routers, { name, router }].sort((a, b) => a.name.localeCompare(b.name));
    record.status = 'active';
    record.problem = undefined;
    this.platform.renderer.reset();
    await this.saveState(record);
    await this.platform.hooks.do('core.plugin.activated', name);
  }

  private async deactivateNow(name: string): Promise<void> {
    const record = this.require(name);
    if (record.status !== 'active') return;
    const dependents = this.dependents(name);
    if (dependents.length) {
      throw new PluginError(`"${record.manifest.title}" is needed by ${dependents.map((d) => `"${this.records.get(d)?.manifest.title ?? d}"`).join(', ')}; deactivate those first.`);
    }
    await this.unload(name);
    record.status = 'inactive';
    await this.saveState(record);
    await this.platform.hooks.do('core.plugin.deactivated', name);
  }

  private async uninstallNow(name: string): Promise<void> {
    const record = this.require(name);
    if (record.status === 'active') throw new PluginError(`Deactivate "${record.manifest.title}" before uninstalling it.`);
    await migrateDownAll(this.platform.sequelize, name, path.join(record.dir, 'migrations'));
    const definition = await this.load(record);
    if (definition.uninstall) {
      const handle = createPluginContext(this.platform, record.manifest, record.dir, this.services);
      await definition.uninstall(handle.ctx);
      await handle.dispose();
    }
    await this.platform.sequelize.query('DELETE FROM plugin_states WHERE name = ?', { replacements: [name] });
    await this.platform.options.delete(`settings.${name}`);
    if (record.source === 'installed') {
      fs.rmSync(record.dir, { recursive: true, force: true });
      this.records.delete(name);
    } else {
      record.status = 'installed';
      record.problem = undefined;
    }
  }

  private async installZipNow(zip: Buffer): Promise<PluginManifest> {
    const installed = this.searchDirs.find((d) => d.source === 'installed');
    if (!installed) throw new PluginError('No folder for installed plugins is configured.');
    const manifest = await installPluginZip(zip, installed.dir, {
      maxBytes: this.platform.config.PLUGIN_ZIP_MAX_BYTES,
      nameTaken: (n) => this.records.has(n) || fs.existsSync(path.join(installed.dir, n)),
    });
    const dir = path.join(installed.dir, manifest.name);
    const record: PluginRecord = { manifest, dir, source: 'installed', status: 'installed' };
    this.records.set(manifest.name, record);
    await this.saveState(record);
    return manifest;
  }

  private async suspendNow(name: string, failure: HookFailure, neededBy?: PluginRecord): Promise<void> {
    const record = this.records.get(name);
    if (!record || record.status !== 'active') return;
    for (const dependent of this.dependents(name)) await this.suspendNow(dependent, failure, record);
    await this.unload(name);
    record.status = 'suspended';
    record.problem = neededBy
      ? `Suspended because "${neededBy.manifest.title}", which it needs, was suspended.`
      : `Suspended after repeated failures in "${failure.hook}": ${failure.error}`;
    await this.saveState(record);
    log.error({ plugin: name, hook: failure.hook, error: failure.error }, 'plugin suspended');
    await this.platform.hooks.do('core.plugin.suspended', name, failure);
  }

  private async syncNow(): Promise<void> {
    await this.platform.options.load();
    this.platform.themes.refresh();
    const rows = await this.platform.sequelize.query<StateRow>('SELECT * FROM plugin_states', { type: QueryTypes.SELECT });
    for (const row of rows) {
      const record = this.records.get(row.name);
      if (!record) continue;
      if (row.status === 'active' && record.status !== 'active') await this.activateNow(row.name).catch((e) => log.error({ err: e, plugin: row.name }, 'sync activate failed'));
      else if (row.status !== 'active' && record.status === 'active') {
        await this.unload(row.name);
        record.status = row.status;
        record.problem = row.suspended_reason ?? undefined;
      }
    }
  }

  /** The gate: routes of active plugins, in a fixed order (by name). */
  gate(): RequestHandler {
    return (req, res, next) => {
      const routers = this.routers;
      let i = 0;
      const step = (error?: unknown): void => {
        if (error && error !== 'router') return next(error);
        const entry = routers[i++];
        if (!entry) return next();
        entry.router(req, res, step);
      };
      step();
    };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(fn, fn);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }

  private async unload(name: string): Promise<void> {
    this.routers = this.routers.filter((r) => r.name !== name);
    const handle = this.handles.get(name);
    this.handles.delete(name);
    // Listeners go first and all at once, so nothing of the plugin runs while the rest is disposed.
    this.platform.hooks.removeOwner(name);
    await handle?.dispose();
    this.platform.renderer.reset();
  }

  private require(name: string): PluginRecord {
    const record = this.records.get(name);
    if (!record) throw new PluginError(`No plugin named "${name}" is installed.`);
    return record;
  }

  private async load(record: PluginRecord): Promise<PluginDefinition> {
    let url = pathToFileURL(path.join(record.dir, record.manifest.main)).href;
    if (record.source === 'installed') {
      // An uploaded plugin can be uninstalled and uploaded again in the same process: load its new code.
      forgetModulesUnder(record.dir);
      url += `?load=${++this.loads}`;
    }
    const mod = (await import(url)) as { default?: PluginDefinition & { default?: PluginDefinition } };
    // A plugin folder without a package.json is compiled as CommonJS: its default export sits one level down.
    const definition = mod.default && typeof mod.default.setup === 'function' ? mod.default : mod.default?.default;
    if (!definition || typeof definition.setup !== 'function') {
      throw new PluginError(`"${record.manifest.title}" does not export definePlugin({ setup }) as its default export.`);
    }
    return definition;
  }

  private dependencyOrder(names: string[]): string[] {
    const out: string[] = [];
    const visit = (name: string, trail: string[]) => {
      if (out.includes(name) || trail.includes(name)) return;
      const record = this.records.get(name);
      if (!record) return;
      for (const dep of Object.keys(record.manifest.requires.plugins)) if (names.includes(dep)) visit(dep, [...trail, name]);
      out.push(name);
    };
    for (const name of [...names].sort()) visit(name, []);
    return out;
  }

  private async saveState(record: PluginRecord): Promise<void> {
    const { sequelize } = this.platform;
    const values = [record.status, record.manifest.version, record.source, record.problem ?? null, new Date()];
    const [, affected] = await sequelize.query('UPDATE plugin_states SET status = ?, version = ?, source = ?, suspended_reason = ?, updated_at = ? WHERE name = ?', {
      replacements: [...values, record.manifest.name],
      type: QueryTypes.UPDATE,
    });
    if (!affected) {
      await sequelize.query('INSERT INTO plugin_states (status, version, source, suspended_reason, updated_at, name) VALUES (?, ?, ?, ?, ?, ?)', {
        replacements: [...values, record.manifest.name],
      });
    }
  }
}

/** Drops the CommonJS module cache of every file in a folder, so the next import evaluates them again. */
export function forgetModulesUnder(dir: string): void {
  const cache = createRequire(import.meta.url).cache;
  const prefix = dir + path.sep;
  for (const key of Object.keys(cache)) if (key.startsWith(prefix)) delete cache[key];
}

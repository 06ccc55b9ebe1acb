import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { log } from '../log';
import type { Platform } from '../platform';
import type { HookFailure } from '../hooks';
import { migrateDownAll, migrateUp } from '../db/migrator';
import type { PluginManifest } from './manifest';
import { createPluginContext, type ContextHandle } from './context';
import { installPluginZip } from './zip-installer';
import { discoverPlugins, type PluginSearchDir } from './plugin-discovery';
import { PluginError, deleteState, readStates, savePages, saveState, type PluginRecord } from './plugin-state';
import { pagesFromJson, pagesToJson } from './plugin-pages';
import { checkRequirements, dependencyOrder, dependentsOf } from './plugin-dependencies';
import { PluginGate } from './plugin-gate';
import { loadPlugin } from './plugin-loader';
import type { ServiceMap, ServiceName } from './services';
import { BUS_RECONNECTED } from '../cluster/instance-bus';

/** The bus topic of a plugin lifecycle change: every other instance syncs its plugins with the database. */
export const PLUGINS_CHANGED = 'core.plugins.changed';

// The parts of the plugin system, one file each: discovery (plugin-discovery), state in the database
// (plugin-state), requirements and order (plugin-dependencies), the request gate (plugin-gate), the loader
// and the '@agora/core' resolve hook (plugin-loader, public-api-hook.mjs). This file is the lifecycle.
export { PluginError, type PluginRecord, type PluginStatus } from './plugin-state';
export { CORE_VERSION } from './plugin-dependencies';
export { forgetModulesUnder } from './plugin-loader';

declare module '../hooks' {
  interface ActionMap {
    'core.plugin.activated': [name: string];
    'core.plugin.deactivated': [name: string];
    'core.plugin.suspended': [name: string, failure: HookFailure];
  }
}

/**
 * Runs the plugins' lifecycle: installed → active (migrations, setup) → inactive → uninstalled. Routes of
 * active plugins are served through one gate, so (de)activation takes effect on the next request.
 */
export class PluginManager {
  private readonly records = new Map<string, PluginRecord>();
  private readonly handles = new Map<string, ContextHandle>();
  private readonly services = new Map<string, object>();
  private readonly routes = new PluginGate();
  private loads = 0;
  /** Lifecycle changes run one at a time: two admins pressing Activate together must not set a plugin up twice. */
  private lifecycle: Promise<unknown> = Promise.resolve();
  /** Which plugin defined each Sequelize model (by model name), learned while its setup ran. */
  private readonly modelOwners = new Map<string, string>();

  constructor(
    private readonly platform: Platform,
    private readonly searchDirs: PluginSearchDir[],
  ) {
    platform.hooks.onSuspend((failure) => {
      void this.suspend(failure.owner, failure).catch((error) => log.error({ err: error }, 'suspending a plugin failed'));
    });
    // Another instance (de)activated, suspended or uninstalled a plugin: follow at once. A lost message is
    // caught by the slower poll (server.ts) and by the sync after the bus reconnects.
    const follow = (message: Record<string, unknown>) => {
      if (message.origin === platform.bus.instanceId) return;
      void this.sync().catch((error: unknown) => log.error({ err: error }, 'plugin sync failed'));
    };
    platform.bus.subscribe(PLUGINS_CHANGED, follow);
    platform.bus.subscribe(BUS_RECONNECTED, follow);
  }

  /** Reads every plugin folder; a folder whose manifest is invalid is logged and skipped. */
  discover(): void {
    discoverPlugins(this.searchDirs, this.records);
  }

  /**
   * Activates what the database says is active. On the very first start (no state yet) every bundled
   * plugin listed in `defaults` is activated. A plugin that fails to start is marked and skipped: the site runs.
   */
  async boot(defaults: string[]): Promise<void> {
    this.discover();
    const rows = await readStates(this.platform.sequelize);
    const firstStart = rows.length === 0;
    for (const row of rows) {
      const record = this.records.get(row.name);
      if (!record) continue;
      record.status = row.status === 'active' ? 'inactive' : row.status;
      record.problem = row.suspended_reason ?? undefined;
    }
    const wanted = firstStart ? defaults.filter((n) => this.records.has(n)) : rows.filter((r) => r.status === 'active').map((r) => r.name);
    for (const name of dependencyOrder(wanted, this.records)) {
      try {
        // Not announced: it starts what the database already says, which changes nothing for other instances.
        await this.serial(() => this.activateNow(name));
      } catch (error) {
        const record = this.records.get(name);
        if (record) {
          record.status = 'error';
          record.problem = error instanceof Error ? error.message : String(error);
        }
        log.error({ plugin: name, err: error }, 'plugin failed to start; the site runs without it');
      }
    }
    // A plugin that is off (deactivated, suspended, failed to start) keeps answering 503 on the pages it served.
    for (const row of rows) {
      if (row.pages && this.records.has(row.name) && !this.isActive(row.name)) this.routes.restore(row.name, pagesFromJson(row.pages));
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

  /** The service an active plugin published with `ctx.provide` (for core and tests; plugins use `ctx.service`). */
  serviceOf<N extends ServiceName>(name: N): ServiceMap[N] | undefined {
    return this.services.get(name) as ServiceMap[N] | undefined;
  }

  /** The plugin that defined a model, or undefined for core's own models. */
  modelOwner(modelName: string): string | undefined {
    return this.modelOwners.get(modelName);
  }

  /** Active plugins that require the given one. */
  dependents(name: string): string[] {
    return dependentsOf(name, this.records);
  }

  activate(name: string): Promise<void> {
    return this.announced(name, this.serial(() => this.activateNow(name)));
  }

  deactivate(name: string): Promise<void> {
    return this.announced(name, this.serial(() => this.deactivateNow(name)));
  }

  /** Reverts the plugin's migrations (dropping its tables), runs its uninstall step, forgets it. */
  uninstall(name: string): Promise<void> {
    return this.announced(name, this.serial(() => this.uninstallNow(name)));
  }

  installZip(zip: Buffer): Promise<PluginManifest> {
    return this.serial(() => this.installZipNow(zip));
  }

  /**
   * A plugin whose listeners keep failing: unloaded for everyone, with the reason kept for the admin.
   * The active plugins that need it go down with it (first), since their calls into it would now fail.
   */
  suspend(name: string, failure: HookFailure): Promise<void> {
    return this.announced(name, this.serial(() => this.suspendNow(name, failure)));
  }

  /** Picks up changes another instance made: which plugins are active, the theme, settings. */
  sync(): Promise<void> {
    return this.serial(() => this.syncNow());
  }

  /** The gate: routes of active plugins, in a fixed order (by name). */
  gate(): RequestHandler {
    return this.routes.handler();
  }

  /** The addresses a plugin's routes serve (or served, while it is off): the admin's deactivation page lists them. */
  pages(name: string): string[] {
    return this.routes.pages(name);
  }

  private async activateNow(name: string): Promise<void> {
    const record = this.require(name);
    if (record.status === 'active') return;
    // A refusal (core version, missing dependency) changes nothing; a failure to start is kept on the record.
    checkRequirements(record, this.records);
    try {
      await this.start(record);
    } catch (error) {
      // Kept on the record (and in the database) so the admin panel says why, on every instance.
      record.status = 'error';
      record.problem = error instanceof Error ? error.message : String(error);
      await saveState(this.platform.sequelize, record);
      throw error instanceof PluginError ? error : new PluginError(`"${record.manifest.title}" failed to start: ${record.problem}`);
    }
  }

  private async start(record: PluginRecord): Promise<void> {
    const { manifest } = record;
    const name = manifest.name;
    // Loaded before its migrations run, so code that cannot load leaves no tables behind.
    const definition = await loadPlugin(record, ++this.loads);
    await migrateUp(this.platform.sequelize, name, path.join(record.dir, 'migrations'));
    const modelsBefore = new Set(Object.keys(this.platform.sequelize.models));
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
    this.routes.add(name, router);
    record.status = 'active';
    record.problem = undefined;
    this.platform.renderer.reset();
    await saveState(this.platform.sequelize, record);
    await savePages(this.platform.sequelize, name, pagesToJson(this.routes.served(name)));
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
    await saveState(this.platform.sequelize, record);
    await this.platform.hooks.do('core.plugin.deactivated', name);
  }

  private async uninstallNow(name: string): Promise<void> {
    const record = this.require(name);
    if (record.status === 'active') throw new PluginError(`Deactivate "${record.manifest.title}" before uninstalling it.`);
    await migrateDownAll(this.platform.sequelize, name, path.join(record.dir, 'migrations'));
    // Uninstalling must not depend on code that may be what is broken: a plugin that cannot load is
    // removed without its own uninstall step.
    const definition = await loadPlugin(record, ++this.loads).catch((error: unknown) => {
      log.warn({ plugin: name, err: error }, 'uninstalling a plugin that cannot be loaded: its uninstall step is skipped');
      return undefined;
    });
    if (definition?.uninstall) {
      const handle = createPluginContext(this.platform, record.manifest, record.dir, this.services);
      try {
        await definition.uninstall(handle.ctx);
      } finally {
        await handle.dispose();
      }
    }
    // Its files are its data too: the private ones may hold personal data whose tables were just dropped.
    await this.platform.files.eraseOwner(name);
    await deleteState(this.platform.sequelize, name);
    // Its pages no longer answer "temporarily unavailable": they are gone.
    this.routes.forget(name);
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
    await saveState(this.platform.sequelize, record);
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
    await saveState(this.platform.sequelize, record);
    log.error({ plugin: name, hook: failure.hook, error: failure.error }, 'plugin suspended');
    await this.platform.hooks.do('core.plugin.suspended', name, failure);
  }

  private async syncNow(): Promise<void> {
    await this.platform.options.load();
    this.platform.themes.refresh();
    const rows = await readStates(this.platform.sequelize);
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

  /**
   * Tells the other instances once the change is in the database, also when it failed (a failure to start
   * is saved as the plugin's state too). Sync does not announce: it follows what another instance said.
   */
  private async announced<T>(name: string, change: Promise<T>): Promise<T> {
    try {
      return await change;
    } finally {
      await this.platform.bus.publish(PLUGINS_CHANGED, { plugin: name, origin: this.platform.bus.instanceId });
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(fn, fn);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }

  private async unload(name: string): Promise<void> {
    this.routes.remove(name);
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
}

import fs from 'node:fs';
import path from 'node:path';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { PluginDefinition } from './define-plugin';
import { PluginError, type PluginRecord } from './plugin-state';

/** The one specifier plugins import core by (see public-api-hook.mjs and tsconfig `paths`). */
export const PUBLIC_API = '@agora/core';

const registered = Symbol.for('agora.public-api-hook');
/** Running the compiled build (dist/, `npm run build`) rather than the TypeScript sources under tsx. */
const compiled = import.meta.url.endsWith('.js');
let typeScriptLoader: Promise<unknown> | undefined;

/**
 * Registers the resolve hook of '@agora/core' once per process (module hooks are process-wide; a second
 * platform in the same process shares it, which is right: the API is the same code).
 */
export function registerPublicApi(): void {
  const flags = globalThis as { [registered]?: boolean };
  if (flags[registered]) return;
  flags[registered] = true;
  const coreIndexUrl = new URL(compiled ? '../index.js' : '../index.ts', import.meta.url).href;
  const projectUrl = new URL('../../', import.meta.url).href;
  register(new URL('./public-api-hook.mjs', import.meta.url), { data: { coreIndexUrl, projectUrl } });
}

registerPublicApi();

/**
 * Imports a plugin's entry and returns its definition. Any failure (a missing module, a syntax error, no
 * default export) becomes a PluginError with the reason, which the admin panel shows.
 */
export async function loadPlugin(record: PluginRecord, loadNumber: number): Promise<PluginDefinition> {
  let url = pathToFileURL(entryFile(record)).href;
  if (compiled && url.endsWith('.ts')) await loadTypeScript();
  if (record.source === 'installed') {
    ensureModuleScope(record);
    // An uploaded plugin can be uninstalled and uploaded again in the same process: load its new code
    // (the hook carries the marker to the plugin's own imports).
    forgetModulesUnder(record.dir);
    url += `?agora-load=${loadNumber}`;
  }
  let mod: { default?: PluginDefinition & { default?: PluginDefinition } };
  try {
    mod = (await import(url)) as typeof mod;
  } catch (error) {
    throw new PluginError(`"${record.manifest.title}" could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A plugin compiled as CommonJS has its default export one level down.
  const definition = mod.default && typeof mod.default.setup === 'function' ? mod.default : mod.default?.default;
  if (!definition || typeof definition.setup !== 'function') {
    throw new PluginError(`"${record.manifest.title}" does not export definePlugin({ setup }) as its default export.`);
  }
  return definition;
}

/**
 * The plugin's entry file. The compiled build holds a bundled plugin's `index.ts` as `index.js`; a plugin
 * installed from a zip keeps the file its manifest names.
 */
function entryFile(record: PluginRecord): string {
  const file = path.join(record.dir, record.manifest.main);
  if (!compiled || !file.endsWith('.ts') || fs.existsSync(file)) return file;
  const js = file.replace(/\.ts$/, '.js');
  return fs.existsSync(js) ? js : file;
}

/**
 * The compiled build runs without a TypeScript loader (memory: docs/performance.md); a plugin installed
 * as TypeScript brings tsx in, once, on first need. tsx reads no tsconfig here: its `paths` would send
 * '@agora/core' to the sources, a second copy of core, instead of through the public API hook to dist.
 */
function loadTypeScript(): Promise<unknown> {
  typeScriptLoader ??= import('tsx/esm/api').then(({ register: registerTsx }) => registerTsx({ tsconfig: false }));
  return typeScriptLoader;
}

/**
 * An installed plugin lives outside the project's package (type: module), where Node would compile its
 * .ts as CommonJS: its import of '@agora/core' would then be a require() that module hooks do not see,
 * and would load a second copy of core. A package.json saying "module" makes it an ES module like the
 * bundled plugins; one that says otherwise is refused with the reason.
 */
function ensureModuleScope(record: PluginRecord): void {
  const file = path.join(record.dir, 'package.json');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, JSON.stringify({ private: true, type: 'module' }, null, 2) + '\n');
    return;
  }
  let type: unknown;
  try {
    type = (JSON.parse(fs.readFileSync(file, 'utf8')) as { type?: unknown }).type;
  } catch {
    throw new PluginError(`"${record.manifest.title}" has a package.json that is not valid JSON.`);
  }
  if (type !== 'module') throw new PluginError(`"${record.manifest.title}" must be an ES module: its package.json needs "type": "module".`);
}

/** Drops the CommonJS module cache of every file in a folder, so the next import evaluates them again. */
export function forgetModulesUnder(dir: string): void {
  const cache = createRequire(import.meta.url).cache;
  const prefix = dir + path.sep;
  for (const key of Object.keys(cache)) if (key.startsWith(prefix)) delete cache[key];
}

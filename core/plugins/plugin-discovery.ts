import fs from 'node:fs';
import path from 'node:path';
import { log } from '../log';
import { readManifest } from './manifest';
import type { PluginRecord } from './plugin-state';

export interface PluginSearchDir {
  dir: string;
  source: 'bundled' | 'installed';
}

/**
 * Reads every plugin folder (one with a plugin.json) of the search folders into `records`. The first folder
 * that names a plugin wins; a folder whose manifest is invalid is logged and skipped.
 */
export function discoverPlugins(searchDirs: PluginSearchDir[], records: Map<string, PluginRecord>): void {
  for (const { dir, source } of searchDirs) {
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const pluginDir = path.join(dir, entry.name);
      if (!fs.existsSync(path.join(pluginDir, 'plugin.json'))) continue;
      try {
        const manifest = readManifest(pluginDir);
        if (!records.has(manifest.name)) records.set(manifest.name, { manifest, dir: pluginDir, source, status: 'installed' });
      } catch (error) {
        log.warn({ dir: pluginDir, err: error }, 'plugin skipped: invalid manifest');
      }
    }
  }
}

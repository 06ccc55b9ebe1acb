import { QueryTypes, type Sequelize } from 'sequelize';
import type { PluginManifest } from './manifest';

export type PluginStatus = 'installed' | 'active' | 'inactive' | 'suspended' | 'error';

/** What the platform knows of one plugin folder, in memory. */
export interface PluginRecord {
  manifest: PluginManifest;
  dir: string;
  source: 'bundled' | 'installed';
  status: PluginStatus;
  /** Why it is suspended or failed to start: shown in the admin panel. */
  problem?: string;
}

/** A row of `plugin_states`: which plugins are active is kept in the database, so every instance agrees. */
export interface StateRow {
  name: string;
  status: PluginStatus;
  version: string;
  source: string;
  suspended_reason: string | null;
  /** JSON of the pages it served when last active (plugin-pages.ts), so they answer 503 while it is off. */
  pages?: string | null;
}

export class PluginError extends Error {}

export function readStates(sequelize: Sequelize): Promise<StateRow[]> {
  return sequelize.query<StateRow>('SELECT * FROM plugin_states', { type: QueryTypes.SELECT });
}

/** Writes the record's status (update, or insert the first time). */
export async function saveState(sequelize: Sequelize, record: PluginRecord): Promise<void> {
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

/** Keeps the pages an active plugin serves with its state (the row exists: saveState wrote it). */
export async function savePages(sequelize: Sequelize, name: string, pagesJson: string): Promise<void> {
  await sequelize.query('UPDATE plugin_states SET pages = ? WHERE name = ?', { replacements: [pagesJson, name], type: QueryTypes.UPDATE });
}

export async function deleteState(sequelize: Sequelize, name: string): Promise<void> {
  await sequelize.query('DELETE FROM plugin_states WHERE name = ?', { replacements: [name] });
}

import semver from 'semver';
import { PluginError, type PluginRecord } from './plugin-state';

export const CORE_VERSION = '1.0.0';

/** Refuses a plugin whose core range or required plugins (installed, active, in range) are not met. */
export function checkRequirements(record: PluginRecord, records: Map<string, PluginRecord>): void {
  const { manifest } = record;
  if (!semver.satisfies(CORE_VERSION, manifest.requires.core)) {
    throw new PluginError(`"${manifest.title}" needs Agora core ${manifest.requires.core}; this is ${CORE_VERSION}.`);
  }
  for (const [dep, range] of Object.entries(manifest.requires.plugins)) {
    const other = records.get(dep);
    if (!other) throw new PluginError(`"${manifest.title}" needs the plugin "${dep}" (${range}), which is not installed.`);
    if (other.status !== 'active') throw new PluginError(`"${manifest.title}" needs the plugin "${dep}" to be active first.`);
    if (!semver.satisfies(other.manifest.version, range)) {
      throw new PluginError(`"${manifest.title}" needs "${dep}" ${range}; version ${other.manifest.version} is installed.`);
    }
  }
}

/** Active plugins that require the given one. */
export function dependentsOf(name: string, records: Map<string, PluginRecord>): string[] {
  return [...records.values()].filter((r) => r.status === 'active' && name in r.manifest.requires.plugins).map((r) => r.manifest.name);
}

/** The names in an order where every plugin comes after the plugins it requires (ties by name). */
export function dependencyOrder(names: string[], records: Map<string, PluginRecord>): string[] {
  const out: string[] = [];
  const visit = (name: string, trail: string[]) => {
    if (out.includes(name) || trail.includes(name)) return;
    const record = records.get(name);
    if (!record) return;
    for (const dep of Object.keys(record.manifest.requires.plugins)) if (names.includes(dep)) visit(dep, [...trail, name]);
    out.push(name);
  };
  for (const name of [...names].sort()) visit(name, []);
  return out;
}

import type { PluginContext } from './context';

export interface PluginDefinition {
  /** Runs on activation, after the plugin's migrations: register everything through `ctx`. */
  setup(ctx: PluginContext): void | Promise<void>;
  /** Runs on uninstall, after its migrations were reverted: remove files or data outside its tables. */
  uninstall?(ctx: PluginContext): void | Promise<void>;
}

/** A plugin's one entry point: `export default definePlugin({ setup(ctx) { ... } })`. */
export function definePlugin(definition: PluginDefinition): PluginDefinition {
  return definition;
}

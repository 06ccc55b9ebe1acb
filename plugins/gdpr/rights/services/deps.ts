import type { PluginContext } from '@agora/core';
import type { RightsSettings } from '../settings';

/** What the rights services need from the plugin: its context and its settings, read when used. */
export interface RightsDeps {
  ctx: PluginContext;
  settings: () => RightsSettings;
}

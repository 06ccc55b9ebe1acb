import type { PluginContext } from '@agora/core';

/** Policies, consent per form section, the consent register and cookie consent (gdpr part 1). */
export async function setupConsent(_ctx: PluginContext): Promise<void> {}

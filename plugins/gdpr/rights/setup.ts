import type { PluginContext } from '@agora/core';

/** "Exercise your rights", the register of requests, export, erasure and retention (gdpr part 2). */
export async function setupRights(_ctx: PluginContext): Promise<void> {}

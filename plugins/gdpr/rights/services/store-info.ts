import type { PluginContext } from '@agora/core';

/** The store's name and address for exports and mails, from core's General settings. */
export function storeInfo(ctx: PluginContext): { name: string; url: string } {
  const general = ctx.platform.options.get<{ siteName?: string }>('settings.core', {});
  return { name: general.siteName || 'Agora', url: ctx.config.baseUrl };
}

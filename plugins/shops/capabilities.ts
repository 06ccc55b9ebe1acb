import type { PluginContext } from '@agora/core';
import { isMember } from './services/shop-access';
import { Shop } from './models/shop';

/** The shop id of whatever a `shops.shop.manage` check is asked about: a shop, a product or order of it, or an id. */
function shopIdOf(object: unknown): number | undefined {
  if (typeof object === 'number') return object;
  if (typeof object !== 'object' || object === null) return undefined;
  if (object instanceof Shop) return object.id;
  const o = object as { shop_id?: unknown };
  return typeof o.shop_id === 'number' ? o.shop_id : undefined;
}

/**
 * Who may do what with shops. Admins manage every shop through the role; everyone else manages a shop
 * only by being one of its members (shop_members), checked per object.
 */
export function registerShopCapabilities(ctx: PluginContext): void {
  ctx.capabilities.register('shops.shop.open', 'Open a shop and become its seller', ['customer', 'seller', 'moderator']);
  ctx.capabilities.register('shops.shop.manage', 'Manage any shop, its products and orders', ['admin']);
  ctx.capabilities.rule('shops.shop.manage', async (actor, object) => {
    const shopId = shopIdOf(object);
    return shopId !== undefined && isMember(actor.id, shopId);
  });
  ctx.capabilities.register('shops.announcements.manage', 'Post announcements to every seller', ['admin']);
}

import type { PluginContext } from '@agora/core';
import { Order } from './models/order';
import { isMember } from './services/shop-access';

/** The order a check is about, when it is one (routes pass the Order row). */
function orderOf(object: unknown): Pick<Order, 'buyer_id' | 'shop_id'> | undefined {
  if (object instanceof Order) return object;
  if (typeof object !== 'object' || object === null) return undefined;
  const o = object as { shop_id?: unknown; buyer_id?: unknown };
  return typeof o.shop_id === 'number' ? { shop_id: o.shop_id, buyer_id: typeof o.buyer_id === 'number' ? o.buyer_id : null } : undefined;
}

/**
 * Who may see and run an order. Admins hold all three through the role; a buyer sees their own orders,
 * a seller sees and runs the orders of the shops they are a member of, checked per order.
 */
export function registerOrderCapabilities(ctx: PluginContext): void {
  ctx.capabilities.register('shops.order.view', 'See any order', ['admin']);
  ctx.capabilities.rule('shops.order.view', async (actor, object) => {
    const order = orderOf(object);
    if (!order) return false;
    if (order.buyer_id !== null && order.buyer_id === actor.id) return true;
    return isMember(actor.id, order.shop_id);
  });
  ctx.capabilities.register('shops.order.manage', 'Change any order: payment, shipping, refunds, notes', ['admin']);
  ctx.capabilities.rule('shops.order.manage', async (actor, object) => {
    const order = orderOf(object);
    return order !== undefined && isMember(actor.id, order.shop_id);
  });
  ctx.capabilities.register('shops.orders.manage_all', 'See and manage the orders of every shop', ['admin']);
}

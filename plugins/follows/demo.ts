import { User, type PluginContext } from '@agora/core';
import { follow } from './services/follow-service';
import { favourite } from './services/favourite-service';
import { runFanout } from './services/fanout';
import { FollowEvent } from './models/event';
import { Notification } from './models/notification';
import type { FanoutDeps } from './services/fanout-deps';

/** The demo buyer shops' demo creates (plugins/shops/demo-orders.ts). */
const DEMO_BUYER_EMAIL = 'buyer@demo.agora.local';

/**
 * For the demo store, after shops' demo catalog and orders (priority 30): the demo buyer follows the first
 * two shops and has heard of two of each one's products (unread, so the header shows a count), and has
 * one favourite from a third shop. The demo runs on an empty store only, so its shops and products are the
 * first ids.
 */
export async function seedDemoFollows(ctx: PluginContext, deps: FanoutDeps): Promise<void> {
  const buyer = await User.findOne({ where: { email: DEMO_BUYER_EMAIL } });
  if (!buyer) return;
  const shops = ctx.service('shops');
  const followed: number[] = [];
  let favouriteShop: number | undefined;
  for (let shopId = 1; shopId <= 10; shopId++) {
    if (!(await shops.shopCard(shopId))) continue;
    if (followed.length < 2) {
      await follow(ctx, buyer.id, shopId);
      followed.push(shopId);
    } else {
      favouriteShop ??= shopId;
    }
  }
  const told = new Map<number, number>();
  let favourited = false;
  for (let productId = 1; productId <= 200; productId++) {
    const card = await shops.productCard(productId);
    if (!card || !card.published) continue;
    const shopId = card.shop.id;
    if (followed.includes(shopId) && (told.get(shopId) ?? 0) < 2) {
      // The product's own event first: its queued job may not have run yet, and then it tells the buyer.
      // If it already ran (before the follow), a demo event of its own tells them, so they hear of it once.
      await runFanout(deps, { kind: 'published', productId, shopId, eventKey: `published:${productId}` });
      const events = (await FollowEvent.findAll({ where: { product_id: productId }, attributes: ['id'] })).map((e) => e.id);
      if (!(await Notification.count({ where: { user_id: buyer.id, event_id: events } }))) {
        await runFanout(deps, { kind: 'published', productId, shopId, eventKey: `demo:published:${productId}` });
      }
      told.set(shopId, (told.get(shopId) ?? 0) + 1);
    } else if (shopId === favouriteShop && !favourited) {
      favourited = await favourite(ctx, buyer.id, { id: card.id, shopId });
    }
  }
  ctx.log.info({ follows: followed.length, favourited }, 'demo follows written');
}

import type { PluginContext } from '@agora/core';
import { runFanout } from './services/fanout';
import { sendDigest, sweepWaiting } from './services/digest';
import type { FollowsSettings } from './settings';
import { fanoutDeps } from './services/fanout-deps';
import { seedDemoFollows } from './demo';

export function defineFollowsJobs(ctx: PluginContext, settings: () => FollowsSettings): void {
  const deps = fanoutDeps(ctx, settings);
  ctx.jobs.define('follows.fanout', (payload) => runFanout(deps, payload));
  ctx.jobs.define('follows.digest', (payload) => sendDigest(ctx, settings, Number(payload.digestId)));
  ctx.jobs.define('follows.sweep', () => sweepWaiting(deps));
  ctx.jobs.schedule('follows.sweep', '17 * * * *');
  ctx.hooks.on('core.demo.seeded', () => seedDemoFollows(ctx, deps), { priority: 30, budgetMs: 60_000 });
}

/**
 * Shops fires these after its transaction committed (or, when the change ran inside a caller's
 * transaction, with that one ambient: the job is written with it and goes if it rolls back). The seller's
 * request only writes one job row, whatever the number of followers: the fan-out is the job's.
 */
export function listenToShops(ctx: PluginContext): void {
  ctx.hooks.on('shops.product.published', async (product) => {
    const eventKey = `published:${product.id}`;
    await ctx.jobs.enqueue('follows.fanout', { kind: 'published', productId: product.id, shopId: product.shop_id, eventKey }, { dedupeKey: `follows.fanout:${eventKey}` });
  });
  ctx.hooks.on('shops.product.discounted', async (product, previousPrice) => {
    const changed = product.updated_at instanceof Date ? product.updated_at.getTime() : Date.now();
    const eventKey = `discounted:${product.id}:${previousPrice}-${product.price}:${changed}`;
    await ctx.jobs.enqueue(
      'follows.fanout',
      { kind: 'discounted', productId: product.id, shopId: product.shop_id, previousPrice, price: product.price, eventKey },
      { dedupeKey: `follows.fanout:${eventKey}` },
    );
    // And the people who favourited it (told in the app; the followers among them by the event above).
    await ctx.jobs.enqueue(
      'follows.fanout',
      { kind: 'discounted', audience: 'favourites', productId: product.id, shopId: product.shop_id, previousPrice, price: product.price, eventKey: `fav:${eventKey}` },
      { dedupeKey: `follows.fanout:fav:${eventKey}` },
    );
  });
  // Back in stock: told to everyone who favourited it (followers too: followers are not told of restocks).
  ctx.hooks.on('shops.product.restocked', async (product, restock) => {
    const eventKey = `restocked:${product.id}:${restock.at.getTime()}`;
    await ctx.jobs.enqueue(
      'follows.fanout',
      { kind: 'restocked', audience: 'favourites', productId: product.id, shopId: product.shop_id, eventKey },
      { dedupeKey: `follows.fanout:${eventKey}` },
    );
  });
}

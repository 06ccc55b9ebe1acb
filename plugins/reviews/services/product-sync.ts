import type { PluginContext } from '@agora/core';
import type {} from '../../shops/service';
import { productRating } from './ratings';

/**
 * Copies a product's rating onto the product in shops (its catalog filters and sorts by it), in the
 * approval's transaction: the shops service joins it.
 */
export async function syncProductRating(ctx: PluginContext, productId: number): Promise<void> {
  const shops = ctx.service('shops') as { setProductRating?: (productId: number, rating: { average: number; count: number }) => Promise<void> };
  if (!shops.setProductRating) return;
  const { average, count } = await productRating(productId);
  await shops.setProductRating(productId, { average, count });
}

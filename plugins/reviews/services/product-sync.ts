import type { PluginContext } from '@agora/core';
import type {} from '../../shops/service';
import { productRating } from './ratings';

/**
 * Copies a product's rating onto the product in shops (its catalog filters and sorts by it), in the
 * approval's transaction: the shops service joins it (ambient transaction).
 */
export async function syncProductRating(ctx: PluginContext, productId: number): Promise<void> {
  const { average, count } = await productRating(productId);
  await ctx.service('shops').setProductRating(productId, { average, count });
}

import type { Hooks } from '@agora/core';
import { Product } from '../models/product';
import type { ProductRestockPath } from '../hooks';

/** Whether a stock level can be sold from: unlimited (null) or above zero. */
export const inStock = (stock: number | null): boolean => stock === null || stock > 0;

/** Whether a change of stock is a restock: from none to some. */
export const isRestock = (before: number | null, after: number | null): boolean => before !== null && before <= 0 && inStock(after);

/**
 * Fires `shops.product.restocked` for each product (called after the commit that restocked them). Read
 * again so listeners see what was committed; a product no longer live or no longer in stock is skipped.
 */
export async function announceRestocked(hooks: Pick<Hooks, 'do'>, productIds: Iterable<number>, via: ProductRestockPath): Promise<void> {
  const ids = [...new Set(productIds)];
  if (!ids.length) return;
  const at = new Date();
  const products = await Product.findAll({ where: { id: ids, status: 'published' }, order: [['id', 'ASC']] });
  for (const product of products) if (inStock(product.stock)) await hooks.do('shops.product.restocked', product, { at, via });
}

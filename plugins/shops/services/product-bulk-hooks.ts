import type { Hooks } from '@agora/core';
import type { Product, ProductStatus } from '../models/product';
import type { ProductRestockPath } from '../hooks';
import { isRestock } from './restock-announce';

/** A product as it was before a bulk change or an import, to know which hooks its change fires. */
export interface ProductBefore {
  price: number;
  status: ProductStatus;
  published_at: Date | null;
  stock: number | null;
}

export const beforeOf = (p: Product): ProductBefore => ({ price: p.price, status: p.status, published_at: p.published_at, stock: p.stock });

/**
 * The hooks a single edit fires (ProductService), for many products changed in one commit, fired after it:
 * `shops.product.updated` for each; `published` the first time one goes live; `discounted` when a live
 * product's price went down below its compare-at price; `restocked` when a live one went from 0 to some.
 * A new product (`before` undefined) that is published fires `published` only.
 */
export async function announceProductChanges(
  hooks: Pick<Hooks, 'do'>,
  changes: ReadonlyArray<{ product: Product; before?: ProductBefore }>,
  via: ProductRestockPath,
): Promise<void> {
  const at = new Date();
  for (const { product, before } of changes) {
    if (!before) {
      if (product.status === 'published') await hooks.do('shops.product.published', product);
      continue;
    }
    await hooks.do('shops.product.updated', product);
    if (product.status === 'published' && before.status !== 'published' && before.published_at === null) await hooks.do('shops.product.published', product);
    if (product.status === 'published' && product.price < before.price && product.isDiscounted()) await hooks.do('shops.product.discounted', product, before.price);
    if (product.status === 'published' && before.status === 'published' && isRestock(before.stock, product.stock)) await hooks.do('shops.product.restocked', product, { at, via });
  }
}

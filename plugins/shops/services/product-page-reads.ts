import { leanModelRead } from '@agora/core';
import { Category } from '../models/category';
import { Product } from '../models/product';
import { ProductImage } from '../models/product-image';
import { ProductTag } from '../models/product-tag';
import { Shop } from '../models/shop';
import { ShippingMethod } from '../models/shipping-method';

/**
 * The product page's reads, on core's lean read path (docs/performance.md): the same rows the model finders
 * gave, each statement prepared once, without the ORM's cost per query. Read-only; every write goes
 * through the models.
 */
const productBySlug = leanModelRead(Product, 'WHERE slug = :slug LIMIT 1');
const shopById = leanModelRead(Shop, 'WHERE id = :id');
const imagesOf = leanModelRead(ProductImage, 'WHERE product_id = :productId ORDER BY position ASC, id ASC');
const tagsOf = leanModelRead(ProductTag, 'WHERE product_id = :productId ORDER BY tag ASC');
const categoryById = leanModelRead(Category, 'WHERE id = :id');
const shippingOf = leanModelRead(ShippingMethod, 'WHERE shop_id = :shopId ORDER BY position ASC, id ASC');

/** The product at this address, published or not (the route decides who may see a draft). */
export function productAt(slug: string): Promise<Product | null> {
  return productBySlug.one({ slug });
}

/** What the product page shows beside the product: its shop, pictures, tags, category and the shop's shipping. */
export async function productPageRows(product: Product): Promise<{ shop: Shop; images: ProductImage[]; tags: ProductTag[]; category: Category | null; shipping: ShippingMethod[] }> {
  const [shop, images, tags, category, shipping] = await Promise.all([
    shopById.one({ id: product.shop_id }),
    imagesOf.all({ productId: product.id }),
    tagsOf.all({ productId: product.id }),
    product.category_id === null ? null : categoryById.one({ id: product.category_id }),
    shippingOf.all({ shopId: product.shop_id }),
  ]);
  // A product's shop is a foreign key: it is there (as `findByPk(…, { rejectOnEmpty })` said before).
  if (!shop) throw new Error(`product ${product.id}: its shop ${product.shop_id} is missing`);
  return { shop, images, tags, category, shipping };
}

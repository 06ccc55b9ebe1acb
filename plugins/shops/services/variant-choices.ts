import { formatMoney, minorPerMajor } from '@agora/core';
import type { Product } from '../models/product';
import type { ProductImage } from '../models/product-image';
import type { Shop } from '../models/shop';
import { variantsOfProduct } from './variant-service';

/** One option of the product page's picker, with what the page shows when it is chosen. */
export interface VariantChoice {
  id: number;
  /** "Size: M, Colour: Blue". */
  label: string;
  sku: string | null;
  price: number;
  compareAtPrice: number | null;
  stock: number | null;
  soldOut: boolean;
  /** The variant's picture (full size), when it has one. */
  imagePath: string | null;
  /** "€12.00", "Only 2 left": said by the page and by its script, in the same words. */
  priceText: string;
  compareText: string;
  stockText: string;
}

export function stockText(stock: number | null): string {
  if (stock === null) return 'In stock';
  if (stock <= 0) return 'Sold out';
  if (stock <= 5) return `Only ${stock} left`;
  return `${stock} in stock`;
}

/** The enabled variants of a product as the product page offers them. */
export async function variantChoicesOf(product: Product, images: ProductImage[]): Promise<VariantChoice[]> {
  const variants = await variantsOfProduct(product.id, { enabledOnly: true });
  return variants.map(({ variant: v, label }) => {
    const price = v.priceOf(product.price);
    const compareAtPrice = v.compare_at_price !== null && v.compare_at_price > price ? v.compare_at_price : null;
    const image = v.image_id === null ? undefined : images.find((i) => i.id === v.image_id);
    return {
      id: v.id,
      label,
      sku: v.sku,
      price,
      compareAtPrice,
      stock: v.stock,
      soldOut: v.stock !== null && v.stock <= 0,
      imagePath: image?.path ?? null,
      priceText: formatMoney(price, product.currency),
      compareText: compareAtPrice === null ? '' : formatMoney(compareAtPrice, product.currency),
      stockText: stockText(v.stock),
    };
  });
}

/**
 * schema.org's ProductGroup with one Product (and its Offer) per variant: what search engines read for
 * "this sweater in these sizes". A data block, never executed; `<` is escaped so no value ends the script.
 */
export function variantJsonLd(baseUrl: string, product: Product, shop: Shop, choices: VariantChoice[]): string {
  const base = baseUrl.replace(/\/$/, '');
  const url = `${base}/products/${product.slug}`;
  const scale = minorPerMajor(product.currency);
  const data = {
    '@context': 'https://schema.org',
    '@type': 'ProductGroup',
    name: product.title,
    url,
    productGroupID: String(product.id),
    brand: { '@type': 'Brand', name: shop.name },
    hasVariant: choices.map((c) => ({
      '@type': 'Product',
      name: `${product.title} (${c.label})`,
      ...(c.sku ? { sku: c.sku } : {}),
      ...(c.imagePath ? { image: `${base}/uploads/${c.imagePath}` } : {}),
      offers: {
        '@type': 'Offer',
        price: (c.price / scale).toFixed(Math.log10(scale)),
        priceCurrency: product.currency,
        availability: c.soldOut ? 'https://schema.org/OutOfStock' : 'https://schema.org/InStock',
        url: `${url}?variant=${c.id}`,
      },
    })),
  };
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

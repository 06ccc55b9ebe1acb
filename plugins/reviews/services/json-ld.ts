import { minorPerMajor } from '@agora/core';
import type { RatingSummary } from './ratings';
import type { ShownReview } from './display';

/**
 * schema.org Product with AggregateRating and Review, for search engines (as WooCommerce writes it). A data
 * block, never run; `<` is written as \u003c so no text of a review can close the element.
 */
export function productJsonLd(
  baseUrl: string,
  product: { title: string; slug: string; image_path: string | null; price: number; currency: string },
  shop: { name: string },
  rating: RatingSummary, reviews: ShownReview[]): string {
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: product.title,
    url: `${baseUrl}/products/${product.slug}`,
    ...(product.image_path ? { image: `${baseUrl}/uploads/${product.image_path}` } : {}),
    brand: { '@type': 'Brand', name: shop.name },
    offers: { '@type': 'Offer', price: String(product.price / minorPerMajor(product.currency)), priceCurrency: product.currency, url: `${baseUrl}/products/${product.slug}` },
  };
  if (rating.count > 0) {
    data.aggregateRating = { '@type': 'AggregateRating', ratingValue: Number(rating.average.toFixed(2)), reviewCount: rating.count, bestRating: 5, worstRating: 1 };
    data.review = reviews.map((r) => ({
      '@type': 'Review',
      name: r.title,
      reviewBody: r.body,
      datePublished: r.date.toISOString().slice(0, 10),
      author: { '@type': 'Person', name: r.author },
      reviewRating: { '@type': 'Rating', ratingValue: r.rating, bestRating: 5, worstRating: 1 },
    }));
  }
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

import { leanModelRead, leanRead } from '@agora/core';
import { ProductRating } from '../models';

export interface RatingSummary {
  count: number;
  /** The mean of the approved ratings, 0 when there are none. */
  average: number;
  /** Approved reviews by stars, index 0 = 1 star. */
  histogram: [number, number, number, number, number];
}

const EMPTY: RatingSummary = { count: 0, average: 0, histogram: [0, 0, 0, 0, 0] };

/**
 * Adds (delta 1) or takes away (delta -1) one approved rating, as one atomic `SET n = n + d` per column, so
 * concurrent approvals of one product's reviews all count. Runs in the caller's (the approval's) transaction.
 */
export async function countRating(productId: number, shopId: number, rating: number, delta: 1 | -1): Promise<void> {
  await ProductRating.bulkCreate([{ product_id: productId, shop_id: shopId }], { ignoreDuplicates: true });
  const star = `star_${rating}` as 'star_1';
  await ProductRating.increment({ review_count: delta, star_total: delta * rating, [star]: delta }, { where: { product_id: productId } });
}

function summaryOf(row: ProductRating | null): RatingSummary {
  if (!row || row.review_count <= 0) return EMPTY;
  return { count: row.review_count, average: row.star_total / row.review_count, histogram: [row.star_1, row.star_2, row.star_3, row.star_4, row.star_5] };
}

// The product page reads these on every view: core's lean read path (docs/performance.md).
const ratingRow = leanModelRead(ProductRating, 'WHERE product_id = :productId');
const shopSums = leanRead<{ count: number; total: number }>(
  'SELECT COALESCE(SUM(review_count), 0) AS count, COALESCE(SUM(star_total), 0) AS total FROM reviews_product_ratings WHERE shop_id = :shopId',
  { numbers: ['count', 'total'] },
);

export async function productRating(productId: number): Promise<RatingSummary> {
  return summaryOf(await ratingRow.one({ productId }));
}

export async function productRatings(productIds: number[]): Promise<Map<number, RatingSummary>> {
  if (!productIds.length) return new Map();
  const rows = await ProductRating.findAll({ where: { product_id: productIds } });
  return new Map(rows.map((r) => [r.product_id, summaryOf(r)]));
}

/** A shop's rating: every approved review of its products (one indexed sum over its products' counters). */
export async function shopRating(shopId: number): Promise<{ count: number; average: number }> {
  const row = await shopSums.one(ProductRating.sequelize!, { shopId });
  const count = row?.count ?? 0;
  return { count, average: count ? row!.total / count : 0 };
}

/** "4.3", the way a rating is written everywhere. */
export function formatAverage(average: number): string {
  return (Math.round(average * 10) / 10).toFixed(1);
}

/**
 * BENCH_REVIEWS reviews (1,000,000) of what the bench orders delivered: each on an item of a completed order,
 * by its buyer (the reviews plugin's rule: one review per order item, from a buyer who received it), most
 * approved, some waiting for moderation or rejected. Then every bench product's rating row and the rating
 * the catalog sorts on, computed in SQL from the approved reviews. Resumes after the last reviewed item.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import type { SingleBar } from 'cli-progress';
import type { Platform } from '../core/platform';
import { BENCH_ORDER_PREFIX } from './generate-orders';
import { bulkIds, rng, syncSequences } from './generate-support';

const READ = 5000;
const DAY = 24 * 3600_000;
const TITLES = ['Lovely', 'Just as pictured', 'Great gift', 'Good value', 'Not quite right', 'Beautiful work', 'Arrived quickly', 'Smaller than expected'];
const BODIES = [
  'Well made and carefully packed. I would buy from this shop again.',
  'The colour is a little different from the photo, but I like it.',
  'Bought it as a present and it went down very well.',
  'Took a while to arrive; the piece itself is fine.',
  'Exactly what I hoped for. Thank you!',
];

interface DeliveredItem {
  item_id: number;
  order_id: number;
  product_id: number;
  shop_id: number;
  buyer_id: number;
  completed_at: string | Date;
}

const benchOrders = `o.number LIKE '${BENCH_ORDER_PREFIX}-%'`;

export async function generateReviews(platform: Platform, target: number, bar: SingleBar): Promise<void> {
  const { sequelize } = platform;
  const q = sequelize.getQueryInterface();
  const [{ n: had, last }] = await sequelize.query<{ n: number | string; last: number | string | null }>(
    `SELECT COUNT(*) AS n, MAX(r.order_item_id) AS last FROM reviews_reviews r JOIN orders o ON o.id = r.order_id WHERE ${benchOrders}`,
    { type: QueryTypes.SELECT },
  );
  let have = Number(had);
  if (have < target) {
    const [{ n: delivered }] = await sequelize.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM order_items oi JOIN orders o ON o.id = oi.order_id WHERE o.status = 'completed' AND ${benchOrders}`,
      { type: QueryTypes.SELECT },
    );
    if (Number(delivered) < target) console.log(`Only ${delivered} delivered items to review: ${target} reviews need more orders (BENCH_ORDERS).`);
    // Most buyers of a delivered item review it; the share is what makes the target from the items there are.
    const share = Math.min(1, target / Math.max(1, Number(delivered)));
    let after = Number(last ?? 0);
    // The share drawn item by item may end a little short of the target: a second pass then takes the delivered
    // items left unreviewed, from the start.
    let topUp = false;
    bar.start(target, have, { task: 'reviews ' });
    while (have < target) {
      const items = await sequelize.query<DeliveredItem>(
        `SELECT oi.id AS item_id, oi.order_id, oi.product_id, o.shop_id, o.buyer_id, o.completed_at FROM order_items oi JOIN orders o ON o.id = oi.order_id
         WHERE oi.id > :after AND o.status = 'completed' AND ${benchOrders}${topUp ? ' AND NOT EXISTS (SELECT 1 FROM reviews_reviews r WHERE r.order_item_id = oi.id)' : ''} ORDER BY oi.id LIMIT ${READ}`,
        { replacements: { after }, type: QueryTypes.SELECT },
      );
      if (!items.length) {
        if (topUp) break;
        topUp = true;
        after = 0;
        continue;
      }
      after = items[items.length - 1].item_id;
      const random = rng(7_000_001 + after);
      const chosen = items.filter(() => topUp || random() < share).slice(0, target - have);
      await sequelize.transaction(async (transaction) => {
        const ids = await bulkIds(sequelize, 'reviews_reviews', chosen.length, transaction);
        const rows = chosen.map((item, i) => {
          const rating = pickRating(random());
          const roll = random();
          const status = roll < 0.9 ? 'approved' : roll < 0.96 ? 'pending' : 'rejected';
          const written = new Date(new Date(item.completed_at).getTime() + Math.floor(random() * 10 * DAY));
          const moderated = status === 'pending' ? null : new Date(written.getTime() + Math.floor(random() * DAY));
          return {
            id: ids.first + i, product_id: item.product_id, shop_id: item.shop_id, order_id: item.order_id, order_item_id: item.item_id, user_id: item.buyer_id,
            rating, title: TITLES[Math.floor(random() * TITLES.length)], body: BODIES[Math.floor(random() * BODIES.length)], status, verified: true,
            held_reason: null, reject_reason: status === 'rejected' ? 'Not about the product.' : null, moderated_by: null, moderated_at: moderated,
            approved_at: status === 'approved' ? moderated : null, photo_count: 0, helpful_count: Math.floor(random() ** 4 * 20), report_count: 0,
            anonymized_at: null, created_at: written, updated_at: moderated ?? written,
          };
        });
        if (rows.length) await q.bulkInsert('reviews_reviews', rows, { transaction });
      });
      have += chosen.length;
      bar.update(have);
    }
    bar.stop();
    await syncSequences(sequelize, ['reviews_reviews']);
  }
  await rateBenchProducts(sequelize);
}

/** Stars lean high, as on every marketplace. */
function pickRating(roll: number): number {
  if (roll < 0.55) return 5;
  if (roll < 0.8) return 4;
  if (roll < 0.9) return 3;
  if (roll < 0.95) return 2;
  return 1;
}

/** Each bench product's rating row from its approved reviews, and the average (×100) and count the catalog sorts on. */
async function rateBenchProducts(sequelize: Sequelize): Promise<void> {
  const bench = "(SELECT id FROM products WHERE slug LIKE 'bench-product-%')";
  const stars = [1, 2, 3, 4, 5].map((s) => `SUM(CASE WHEN rating = ${s} THEN 1 ELSE 0 END)`).join(', ');
  await sequelize.transaction(async (transaction) => {
    await sequelize.query(`DELETE FROM reviews_product_ratings WHERE product_id IN ${bench}`, { transaction });
    await sequelize.query(
      `INSERT INTO reviews_product_ratings (product_id, shop_id, review_count, star_total, star_1, star_2, star_3, star_4, star_5)
       SELECT product_id, MIN(shop_id), COUNT(*), SUM(rating), ${stars} FROM reviews_reviews WHERE status = 'approved' AND product_id IN ${bench} GROUP BY product_id`,
      { transaction },
    );
    // Rounded to the nearest hundredth of a star in integers, as the reviews service rounds it.
    await sequelize.query(
      `UPDATE products SET
         rating_count = COALESCE((SELECT r.review_count FROM reviews_product_ratings r WHERE r.product_id = products.id), 0),
         rating_avg = COALESCE((SELECT (r.star_total * 200 + r.review_count) / (2 * r.review_count) FROM reviews_product_ratings r WHERE r.product_id = products.id AND r.review_count > 0), 0)
       WHERE slug LIKE 'bench-product-%'`,
      { transaction },
    );
  });
}

/**
 * Fills the benchmark store with BENCH_SHOPS shops (1,000), BENCH_PRODUCTS products (100,000) and BENCH_USERS
 * shoppers (100,000) in bulk inserts, with a progress bar; `npm run bench:generate` then grows it to a
 * marketplace: BENCH_ORDERS orders (1,000,000, bench/generate-orders.ts) and BENCH_REVIEWS reviews
 * (1,000,000, bench/generate-reviews.ts). Each stage resumes where an interrupted run stopped.
 * Run: `npm run bench:generate` (SQLite in data/bench or BENCH_DATA_DIR, or DATABASE_URL).
 */
import { SingleBar, Presets } from 'cli-progress';
import { QueryTypes } from 'sequelize';
import { createPlatform, startPlatform, stopPlatform } from '../core/create-platform';
import { hashPassword } from '../core/auth/passwords';
import type { Platform } from '../core/platform';
import { benchConfig, BENCH_PRODUCTS, BENCH_SHOPS, BENCH_USERS } from './bench-config';
import { generateOrders } from './generate-orders';
import { generateReviews } from './generate-reviews';
import { rng } from './generate-support';

/** The marketplace's history, made by `npm run bench:generate` (not by `npm run bench`, which needs only the catalog). */
export const BENCH_ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
export const BENCH_REVIEWS = Number(process.env.BENCH_REVIEWS ?? 1_000_000);

const CATEGORIES = ['Ceramics', 'Jewellery', 'Prints', 'Textiles', 'Woodwork', 'Candles', 'Stationery', 'Toys', 'Leather', 'Glass'];
const ADJECTIVES = ['Handmade', 'Rustic', 'Vintage', 'Minimal', 'Bold', 'Tiny', 'Large', 'Hand-painted', 'Organic', 'Classic', 'Modern', 'Speckled'];
const NOUNS = ['mug', 'bowl', 'necklace', 'poster', 'scarf', 'spoon', 'candle', 'notebook', 'wallet', 'vase', 'ring', 'blanket', 'card', 'puzzle', 'lamp'];
const TAGS = ['gift', 'eco', 'blue', 'red', 'green', 'wedding', 'kitchen', 'kids', 'office', 'summer', 'winter', 'sale'];
const CHUNK = 1000;

export async function generate(platform: Platform, shops = BENCH_SHOPS, products = BENCH_PRODUCTS, shoppers = BENCH_USERS): Promise<void> {
  const { sequelize } = platform;
  const q = sequelize.getQueryInterface();
  const [{ n }] = await sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM products', { type: QueryTypes.SELECT });
  if (Number(n) >= products) {
    console.log(`The bench store already has ${n} products.`);
    await generateShoppers(platform, shoppers, await hashPassword('bench-seller-password'), new SingleBar({ format: '{task} [{bar}] {percentage}% | {value}/{total}', noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 5000 }, Presets.shades_classic));
    return;
  }
  const random = rng(42);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const now = new Date();
  const passwordHash = await hashPassword('bench-seller-password');

  // A bar on a terminal; in a log (CI, a pipe) one line when each stage ends.
  const bar = new SingleBar({ format: '{task} [{bar}] {percentage}% | {value}/{total}', noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 5000 }, Presets.shades_classic);
  await q.bulkInsert('categories', CATEGORIES.map((name, i) => ({ name, slug: `bench-${name.toLowerCase()}`, position: i })));
  const categoryIds = (await sequelize.query<{ id: number }>("SELECT id FROM categories WHERE slug LIKE 'bench-%' ORDER BY id", { type: QueryTypes.SELECT })).map((r) => r.id);

  bar.start(shops, 0, { task: 'shops   ' });
  for (let start = 0; start < shops; start += CHUNK) {
    const count = Math.min(CHUNK, shops - start);
    const users = Array.from({ length: count }, (_, i) => ({
      username: `bench_seller_${start + i}`,
      email: `bench-seller-${start + i}@bench.agora.local`,
      first_name: 'Bench',
      last_name: `Seller ${start + i}`,
      display_name: `Bench Seller ${start + i}`,
      password_hash: passwordHash,
      role: 'seller',
      guardian_confirmed: false,
      email_verified_at: now,
      created_at: now,
      updated_at: now,
    }));
    await q.bulkInsert('users', users);
    const ids = await sequelize.query<{ id: number }>(`SELECT id FROM users WHERE username LIKE 'bench_seller_%' ORDER BY id LIMIT ${count} OFFSET ${start}`, { type: QueryTypes.SELECT });
    await q.bulkInsert(
      'shops',
      ids.map((u, i) => ({
        owner_id: u.id,
        name: `Bench Shop ${start + i}`,
        slug: `bench-shop-${start + i}`,
        description: `A benchmark shop selling ${pick(NOUNS)}s and ${pick(NOUNS)}s.`,
        location: pick(['Lisbon', 'Berlin', 'Dublin', 'Lyon', 'Utrecht', 'Krakow']),
        currency: 'EUR',
        policy_terms: 'Standard terms.',
        policy_returns: 'Returns within 30 days.',
        policy_shipping: 'Ships in 2 days.',
        vacation_mode: false,
        vacation_message: '',
        sales_count: Math.floor(random() * 500),
        product_count: 0,
        created_at: now,
        updated_at: now,
      })),
    );
    bar.update(start + count);
  }
  bar.stop();
  const shopIds = (await sequelize.query<{ id: number }>("SELECT id FROM shops WHERE slug LIKE 'bench-shop-%' ORDER BY id", { type: QueryTypes.SELECT })).map((r) => r.id);
  await sequelize.query("INSERT INTO shop_members (shop_id, user_id, role, created_at) SELECT id, owner_id, 'owner', created_at FROM shops WHERE slug LIKE 'bench-shop-%' AND owner_id IS NOT NULL");
  await q.bulkInsert('shipping_methods', shopIds.map((id) => ({ shop_id: id, name: 'Standard', price: 450, free_over: 5000, countries: '', position: 0, created_at: now, updated_at: now })));

  bar.start(products, 0, { task: 'products' });
  for (let start = 0; start < products; start += CHUNK) {
    const count = Math.min(CHUNK, products - start);
    const rows = Array.from({ length: count }, (_, i) => {
      const n = start + i;
      const title = `${pick(ADJECTIVES)} ${pick(NOUNS)} no. ${n}`;
      const price = 500 + Math.floor(random() * 20000);
      const discounted = random() < 0.2;
      const tags = [pick(TAGS), pick(TAGS)].filter((t, j, all) => all.indexOf(t) === j);
      const published = new Date(now.getTime() - Math.floor(random() * 365 * 24 * 3600 * 1000));
      return {
        shop_id: shopIds[n % shopIds.length],
        title,
        slug: `bench-product-${n}`,
        description: `${title}: made by hand in small batches. Each piece differs a little; that is the point.`,
        price,
        compare_at_price: discounted ? price + 500 + Math.floor(random() * 2000) : null,
        currency: 'EUR',
        stock: random() < 0.3 ? null : Math.floor(random() * 50),
        category_id: pick(categoryIds),
        status: 'published',
        tags_text: tags.join(' '),
        image_path: null,
        published_at: published,
        created_at: published,
        updated_at: published,
      };
    });
    await sequelize.transaction(async (transaction) => {
      await q.bulkInsert('products', rows, { transaction });
      const ids = await sequelize.query<{ id: number; slug: string }>(`SELECT id, slug FROM products WHERE slug IN (${rows.map(() => '?').join(',')})`, {
        replacements: rows.map((r) => r.slug),
        type: QueryTypes.SELECT,
        transaction,
      });
      const bySlug = new Map(rows.map((r) => [r.slug, r.tags_text.split(' ')]));
      await q.bulkInsert('product_tags', ids.flatMap((p) => (bySlug.get(p.slug) ?? []).map((tag) => ({ product_id: p.id, tag }))), { transaction });
    });
    bar.update(start + count);
  }
  bar.stop();
  await sequelize.query("UPDATE shops SET product_count = (SELECT COUNT(*) FROM products WHERE products.shop_id = shops.id) WHERE slug LIKE 'bench-shop-%'");
  await generateShoppers(platform, shoppers, passwordHash, bar);
  // Fresh statistics, so the planners pick the catalog indexes from the first request on. PostgreSQL also
  // needs a VACUUM after a bulk load: without the visibility map its index-only scans visit the heap.
  await sequelize.query(sequelize.getDialect() === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
}

/** BENCH_USERS customers (`bench_buyer_<n>`), in bulk inserts of CHUNK rows, each chunk its own transaction. */
async function generateShoppers(platform: Platform, count: number, passwordHash: string, bar: SingleBar): Promise<void> {
  const { sequelize } = platform;
  const q = sequelize.getQueryInterface();
  const [{ n }] = await sequelize.query<{ n: number }>("SELECT COUNT(*) AS n FROM users WHERE username LIKE 'bench_buyer_%'", { type: QueryTypes.SELECT });
  const have = Number(n);
  if (have >= count) return;
  const now = new Date();
  bar.start(count, have, { task: 'users   ' });
  for (let start = have; start < count; start += CHUNK) {
    const size = Math.min(CHUNK, count - start);
    const rows = Array.from({ length: size }, (_, i) => ({
      username: `bench_buyer_${start + i}`,
      email: `bench-buyer-${start + i}@bench.agora.local`,
      first_name: 'Bench',
      last_name: `Buyer ${start + i}`,
      display_name: `Bench Buyer ${start + i}`,
      password_hash: passwordHash,
      birth_date: '1990-01-01',
      role: 'customer',
      guardian_confirmed: false,
      email_verified_at: now,
      created_at: now,
      updated_at: now,
    }));
    await sequelize.transaction(async (transaction) => q.bulkInsert('users', rows, { transaction }));
    bar.update(start + size);
  }
  bar.stop();
}

function progressBar(): SingleBar {
  return new SingleBar({ format: '{task} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}', noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 5000 }, Presets.shades_classic);
}

/** Orders and reviews at marketplace size on top of the catalog, then fresh planner statistics. */
export async function generateMarketplace(platform: Platform, orders = BENCH_ORDERS, reviews = BENCH_REVIEWS): Promise<void> {
  const { sequelize } = platform;
  await generateOrders(platform, orders, progressBar());
  if (platform.plugins.isActive('reviews')) await generateReviews(platform, reviews, progressBar());
  else console.log('The reviews plugin is not active: no reviews generated.');
  await sequelize.query(sequelize.getDialect() === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const platform = await createPlatform(benchConfig());
  platform.plugins.discover();
  // Every bundled plugin, as the bench and a real store run: reviews' tables take the generated reviews.
  const bundled = platform.plugins.list().filter((p) => p.source === 'bundled').map((p) => p.manifest.name);
  await startPlatform(platform, bundled);
  for (const name of bundled) if (!platform.plugins.isActive(name)) await platform.plugins.activate(name);
  const seconds = (from: number) => `${((Date.now() - from) / 1000).toFixed(1)} s`;
  const started = Date.now();
  await generate(platform);
  console.log(`Catalog and shoppers: ${seconds(started)}.`);
  const history = Date.now();
  await generateMarketplace(platform);
  console.log(`Orders and reviews: ${seconds(history)}. Done in ${seconds(started)}.`);
  await stopPlatform(platform);
}

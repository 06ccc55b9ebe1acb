/**
 * The query plans of the marketplace's hot reads, as the database chooses them on the generated store:
 * every catalog filter and sort (page 1 and page 1,000), and the order lists of a heavy buyer and a busy
 * seller with each search filter. Prints one line per query — the indexes used, and any full scan or sort —
 * for docs/performance.md ("Marketplace size"). SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN.
 *
 *   npx tsx bench/generate-plans.ts      (BENCH_DATA_DIR or DATABASE_URL, as bench:generate)
 */
import { QueryTypes } from 'sequelize';
import { createPlatform, startPlatform, stopPlatform } from '../core/create-platform';
import { buildCatalogQuery, type CatalogFilters } from '../plugins/shops/services/catalog-service';
import { benchConfig } from './bench-config';

const platform = await createPlatform(benchConfig());
platform.plugins.discover();
await startPlatform(platform, platform.plugins.list().filter((p) => p.source === 'bundled').map((p) => p.manifest.name));
const { sequelize } = platform;
const dialect = sequelize.getDialect() === 'postgres' ? 'postgres' : 'sqlite';
const first = async <T extends object>(sql: string) => (await sequelize.query<T>(sql, { type: QueryTypes.SELECT }))[0];

async function plan(sql: string, replacements: Record<string, unknown> = {}): Promise<string> {
  if (dialect === 'postgres') {
    const rows = await sequelize.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, { replacements, type: QueryTypes.SELECT });
    return rows
      .map((r) => r['QUERY PLAN'].trim().replace(/^->\s*/, ''))
      .filter((line) => /Scan|Sort|Limit|Aggregate/.test(line))
      .map((line) => line.replace(/\s*\(cost=.*$/, ''))
      .join('; ');
  }
  const rows = await sequelize.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, { replacements, type: QueryTypes.SELECT });
  return rows.map((r) => r.detail).join('; ');
}

const category = await first<{ id: number }>("SELECT id FROM categories WHERE slug = 'bench-ceramics'");
const shop = await first<{ shop_id: number }>('SELECT shop_id FROM orders GROUP BY shop_id ORDER BY COUNT(*) DESC LIMIT 1');
const buyer = await first<{ buyer_id: number }>('SELECT buyer_id FROM orders GROUP BY buyer_id ORDER BY COUNT(*) DESC LIMIT 1');
const catalog: Array<[string, CatalogFilters]> = [
  ['newest', {}],
  ['price low to high', { sort: 'price_asc' }],
  ['price high to low', { sort: 'price_desc' }],
  ['best rated', { sort: 'rating' }],
  ['4 stars and up', { minRating: 4 }],
  ['price range', { minPrice: 2000, maxPrice: 6000 }],
  ['category', { categoryIds: [category.id] }],
  ['category by price', { categoryIds: [category.id], sort: 'price_asc' }],
  ['category, 4 stars, by rating', { categoryIds: [category.id], minRating: 4, sort: 'rating' }],
  ['shop', { shopId: shop.shop_id }],
  ['shop by price', { shopId: shop.shop_id, sort: 'price_asc' }],
  ['search "mug"', { q: 'mug' }],
];
console.log(`| catalog (${dialect}) | page | plan of the page | plan of the bounded count |\n| --- | --- | --- | --- |`);
for (const [name, filters] of catalog) {
  for (const page of [1, 1000]) {
    const built = buildCatalogQuery(dialect, filters, { page, perPage: 24 });
    console.log(`| ${name} | ${page} | ${await plan(built.sql, built.replacements)} | ${page === 1 ? await plan(built.countSql, built.replacements) : '(same)'} |`);
  }
}

const columns = 'id, number, shop_id, buyer_id, status, currency, total, created_at';
const list = (where: string, limit: number, offset = 0) => `SELECT ${columns} FROM orders WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`;
const count = (where: string) => `SELECT COUNT(*) AS n FROM orders WHERE ${where}`;
const day = new Date(Date.now() - 90 * 86400_000).toISOString().slice(0, 10);
const month = new Date(Date.now() - 60 * 86400_000).toISOString().slice(0, 10);
const orderLists: Array<[string, string, number, number]> = [
  ['my orders (heaviest buyer)', `buyer_id = ${buyer.buyer_id}`, 20, 0],
  ['my orders, page 5', `buyer_id = ${buyer.buyer_id}`, 20, 80],
  ["seller's orders (busiest shop)", `shop_id IN (${shop.shop_id})`, 30, 0],
  ["seller's orders, page 20", `shop_id IN (${shop.shop_id})`, 30, 570],
  ['… completed', `shop_id IN (${shop.shop_id}) AND status = 'completed'`, 30, 0],
  ['… a date range', `shop_id IN (${shop.shop_id}) AND created_at >= '${day}' AND created_at < '${month}'`, 30, 0],
  ['… number or buyer name', `shop_id IN (${shop.shop_id}) AND (number = 'AG-BENCH-0000001-1' OR lower(number) LIKE '%ag-bench-00000%' OR lower(ship_name) LIKE '%buyer 1%')`, 30, 0],
];
console.log(`\n| order list (${dialect}) | plan of the page | plan of the count |\n| --- | --- | --- |`);
for (const [name, where, limit, offset] of orderLists) console.log(`| ${name} | ${await plan(list(where, limit, offset))} | ${await plan(count(where))} |`);
await stopPlatform(platform);

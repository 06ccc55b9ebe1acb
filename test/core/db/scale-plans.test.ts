import http from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import { expect } from 'chai';
import supertest from 'supertest';
import { QueryTypes } from 'sequelize';
import { DEFAULT_PLUGINS } from '../../../core/create-platform';
import { login, type TestApp, startTestApp } from '../../helpers/app';
import { generate, generateMarketplace } from '../../../bench/generate';
import { BENCH_ORDER_PREFIX } from '../../../bench/generate-orders';

/**
 * At marketplace size every filter and sort must have an index (issue 15). A small store made by the bench
 * generator (the same code as `npm run bench:generate`, fewer rows) is browsed page by page as people do;
 * every SELECT each page runs is explained by the database itself (SQLite's EXPLAIN QUERY PLAN; PostgreSQL's
 * EXPLAIN with sequential scans priced out, so a "Seq Scan" left means no index could serve it) and any
 * full scan of a table that grows with the marketplace fails the test, with the page, the query and the plan.
 * Also checked: the generated orders decrypt through the model, and the generator resumes without duplicates.
 */
describe('marketplace size: an index for every filter and sort (query plans of every page)', function () {
  this.timeout(600_000);
  let t: TestApp;
  let server: http.Server;
  const capture = new AsyncLocalStorage<Array<{ sql: string; options: Record<string, unknown> }>>();
  let buyer: supertest.Agent;
  let seller: supertest.Agent;
  const subjects = { product: '', shop: '', orderPrefix: '', day: '' };
  let last: Array<{ sql: string; options: Record<string, unknown> }> = [];
  const GROWING = ['products', 'orders', 'order_items', 'checkout_groups', 'users', 'shops', 'reviews_reviews', 'reviews_product_ratings', 'product_tags', 'sessions', 'follows_follows', 'follows_favourites', 'follows_notifications', 'messaging_conversations', 'stripe_ledger_entries'];

  before(async () => {
    t = await startTestApp({ plugins: DEFAULT_PLUGINS });
    await generate(t.platform, 200, 2000, 400);
    await generateMarketplace(t.platform, 6000, 3000);
    const sequelize = t.platform.sequelize;
    const query = sequelize.query.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
    (sequelize as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
      const seen = capture.getStore();
      const sql = typeof args[0] === 'string' ? args[0] : String((args[0] as { query?: string })?.query ?? '');
      if (seen && /^\s*SELECT\b/i.test(sql)) seen.push({ sql, options: (args[1] ?? {}) as Record<string, unknown> });
      return query(...args);
    };
    // Each request's SELECTs, kept for the test to explain (the requests are made one at a time).
    server = http.createServer((req, res) => {
      last = [];
      capture.run(last, () => t.app(req, res));
    });
    const one = async <T extends object>(sql: string) => (await sequelize.query<T>(sql, { type: QueryTypes.SELECT }))[0];
    const heavyBuyer = await one<{ username: string }>('SELECT u.username FROM users u JOIN (SELECT buyer_id, COUNT(*) AS n FROM orders GROUP BY buyer_id ORDER BY n DESC LIMIT 1) top ON top.buyer_id = u.id');
    const busyShop = await one<{ id: number; slug: string; username: string }>('SELECT s.id, s.slug, u.username FROM shops s JOIN users u ON u.id = s.owner_id JOIN (SELECT shop_id, COUNT(*) AS n FROM orders GROUP BY shop_id ORDER BY n DESC LIMIT 1) top ON top.shop_id = s.id');
    const order = await one<{ number: string; created_at: string }>(`SELECT number, created_at FROM orders WHERE shop_id = ${busyShop.id} ORDER BY id DESC LIMIT 1`);
    subjects.product = (await one<{ slug: string }>("SELECT slug FROM products WHERE status = 'published' ORDER BY rating_count DESC, id LIMIT 1")).slug;
    subjects.shop = busyShop.slug;
    subjects.orderPrefix = order.number.slice(0, 14);
    subjects.day = new Date(order.created_at).toISOString().slice(0, 10);
    buyer = supertest.agent(server);
    await login(buyer, heavyBuyer.username, 'bench-seller-password');
    seller = supertest.agent(server);
    await login(seller, busyShop.username, 'bench-seller-password');
  });
  after(async () => {
    server?.close();
    await t?.close();
  });

  it('wrote a marketplace the app reads: orders with their items, encrypted addresses, reviews and ratings', async () => {
    const sequelize = t.platform.sequelize;
    const count = async (sql: string) => Number((await sequelize.query<{ n: number | string }>(sql, { type: QueryTypes.SELECT }))[0].n);
    expect(await count(`SELECT COUNT(*) AS n FROM orders WHERE number LIKE '${BENCH_ORDER_PREFIX}-%'`)).to.equal(6000);
    expect(await count('SELECT COUNT(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)')).to.equal(0);
    expect(await count('SELECT COUNT(*) AS n FROM reviews_reviews')).to.equal(3000);
    expect(await count("SELECT COUNT(DISTINCT status) AS n FROM orders")).to.be.at.least(5);
    // A review is of a delivered item, by the order's buyer.
    expect(await count("SELECT COUNT(*) AS n FROM reviews_reviews r JOIN orders o ON o.id = r.order_id WHERE o.status <> 'completed' OR o.buyer_id <> r.user_id")).to.equal(0);
    // The street is ciphertext in the table and the street again through the model.
    const raw = (await sequelize.query<{ ship_line1: string; number: string }>('SELECT ship_line1, number FROM orders ORDER BY id LIMIT 1', { type: QueryTypes.SELECT }))[0];
    expect(raw.ship_line1).to.match(/^enc:/);
    const { Order } = (await import('../../../plugins/shops/models/order'));
    const model = await Order.findOne({ where: { number: raw.number } });
    expect(model!.ship_line1).to.match(/^[A-Za-zßäöüéńó ]+ \d+$/);
    // The rating the catalog sorts on is the approved reviews' average, in hundredths.
    const rated = (await sequelize.query<{ rating_avg: number; rating_count: number; avg: number; n: number | string }>(
      "SELECT p.rating_avg, p.rating_count, AVG(r.rating) AS avg, COUNT(*) AS n FROM products p JOIN reviews_reviews r ON r.product_id = p.id AND r.status = 'approved' GROUP BY p.id, p.rating_avg, p.rating_count ORDER BY COUNT(*) DESC LIMIT 1",
      { type: QueryTypes.SELECT },
    ))[0];
    expect(rated.rating_count).to.equal(Number(rated.n));
    expect(rated.rating_avg).to.equal(Math.round(Number(rated.avg) * 100));
    // Run again, it adds nothing: each stage resumes from what is there.
    await generateMarketplace(t.platform, 6000, 3000);
    expect(await count('SELECT COUNT(*) AS n FROM orders')).to.equal(6000);
    expect(await count('SELECT COUNT(*) AS n FROM reviews_reviews')).to.equal(3000);
  });

  /** Lines of the plan that read a whole growing table, or sort all of its matching rows in a temporary tree. */
  async function fullScans(sql: string, options: Record<string, unknown>): Promise<string[]> {
    const sequelize = t.platform.sequelize;
    const pass = { replacements: options.replacements as Record<string, unknown> | undefined, bind: options.bind as Record<string, unknown> | undefined, type: QueryTypes.SELECT } as const;
    if (sequelize.getDialect() === 'postgres') {
      return sequelize.transaction(async (transaction) => {
        await sequelize.query('SET LOCAL enable_seqscan = off', { transaction });
        const plan = await sequelize.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, { ...pass, transaction });
        const lines = plan.map((r) => r['QUERY PLAN']);
        return lines.filter((line) => GROWING.some((table) => new RegExp(`Seq Scan on ${table}\\b`).test(line)));
      });
    }
    const plan = await sequelize.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, pass);
    // The table behind each alias of the query ("orders AS o", "products p").
    const aliases = new Map<string, string>();
    for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+`?(\w+)`?(?:\s+AS)?\s+`?(\w+)`?/gi)) aliases.set(m[2], m[1]);
    return plan
      .map((r) => r.detail)
      .filter((detail) => {
        const scan = /^SCAN (\w+)(?! USING)/.exec(detail);
        if (!scan) return false;
        const table = aliases.get(scan[1]) ?? scan[1];
        return GROWING.includes(table);
      });
  }

  const pages = () => [
    { url: '/products', who: () => supertest(server) },
    { url: '/products?sort=price_asc', who: () => supertest(server) },
    { url: '/products?sort=price_desc&page=3', who: () => supertest(server) },
    { url: '/products?sort=rating', who: () => supertest(server) },
    { url: '/products?rating=4', who: () => supertest(server) },
    { url: '/products?min=20&max=60', who: () => supertest(server) },
    { url: '/products?category=bench-ceramics', who: () => supertest(server) },
    { url: '/products?category=bench-ceramics&sort=price_asc', who: () => supertest(server) },
    { url: '/products?category=bench-ceramics&rating=4&sort=rating', who: () => supertest(server) },
    { url: '/products?q=mug', who: () => supertest(server) },
    { url: '/products?page=60', who: () => supertest(server) },
    { url: `/products/${subjects.product}`, who: () => supertest(server) },
    { url: `/shops/${subjects.shop}`, who: () => supertest(server) },
    { url: `/shops/${subjects.shop}?sort=price_asc&page=2`, who: () => supertest(server) },
    { url: '/account/orders', who: () => buyer },
    { url: '/account/orders?page=2', who: () => buyer },
    { url: '/seller/orders', who: () => seller },
    { url: '/seller/orders?status=completed', who: () => seller },
    { url: `/seller/orders?q=${encodeURIComponent(subjects.orderPrefix)}`, who: () => seller },
    { url: '/seller/orders?q=buyer%201', who: () => seller },
    { url: `/seller/orders?from=${subjects.day}&to=${subjects.day}`, who: () => seller },
    { url: '/seller/orders?status=shipped&from=2020-01-01&page=2', who: () => seller },
    { url: '/seller', who: () => seller },
  ];

  it('reads no growing table whole on any page: catalog (every filter, sort and a deep page), product, shop, my orders, the seller\'s orders and dashboard', async () => {
    const found: string[] = [];
    const summary: string[] = [];
    for (const page of pages()) {
      const res = await page.who().get(page.url);
      expect(res.status, page.url).to.equal(200);
      const queries = last;
      summary.push(`${page.url}: ${queries.length} SELECTs`);
      for (const { sql, options } of queries) {
        const scans = await fullScans(sql, options);
        if (scans.length) found.push(`${page.url}\n    ${sql.replace(/\s+/g, ' ').slice(0, 400)}\n    ${scans.join('\n    ')}`);
      }
    }
    console.log(`      ${summary.join('\n      ')}`);
    expect(found, found.join('\n')).to.deep.equal([]);
  });
});

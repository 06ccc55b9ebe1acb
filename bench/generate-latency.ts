/**
 * Page latency at marketplace size against the demo store, page by page: the check that a store grown by
 * `npm run bench:generate` (1,000 shops, 100,000 products and shoppers, 1,000,000 orders and reviews) serves
 * the catalog (every filter and sort, deep pages), a product, a shop, a heavy buyer's "my orders" and a busy
 * seller's order list (with its search filters) and dashboard within 2× of the demo store.
 *
 *   npx tsx bench/generate-latency.ts demo           # a fresh demo store (npm start's), in a temporary folder
 *   npx tsx bench/generate-latency.ts marketplace    # the generated store (BENCH_DATA_DIR or DATABASE_URL)
 *
 * Each run starts Agora in this process with every bundled plugin, logs in the buyer and the seller, then
 * times each page one request at a time (BENCH_WARM warm-ups, BENCH_TIMES timed): p50 and p95 in ms. Results
 * go to bench/results/latency-<store>-<dialect>.json; once both stores of a dialect are measured, the table of
 * the two and their ratio is printed (markdown, for docs/performance.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { QueryTypes, type Sequelize } from 'sequelize';
import { buildApp } from '../core/app';
import { loadConfig, rootDir } from '../core/config';
import { createPlatform, startPlatform, stopPlatform } from '../core/create-platform';
import { benchConfig } from './bench-config';
import { BENCH_ORDER_PREFIX } from './generate-orders';

const WARM = Number(process.env.BENCH_WARM ?? 5);
const TIMES = Number(process.env.BENCH_TIMES ?? 30);
const store = process.argv[2] === 'demo' ? 'demo' : 'marketplace';

interface Person {
  login: string;
  password: string;
}

interface Subjects {
  buyer: Person;
  seller: Person;
  product: string;
  shop: string;
  category: string;
  /** The start of one of the seller's order numbers (the search's "number" filter). */
  orderPrefix: string;
  /** A day the seller had orders on, for the date range. */
  day: string;
  /** A catalog page far from the start (the marketplace's page 1,000; the demo's last). */
  deepPage: number;
}

const one = async <T extends object>(sequelize: Sequelize, sql: string, replacements: Record<string, unknown> = {}): Promise<T> => {
  const [row] = await sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT });
  if (!row) throw new Error(`Nothing found for: ${sql}`);
  return row;
};

/** Who and what is measured on each store: on the marketplace, the busiest buyer and seller there are. */
async function subjects(sequelize: Sequelize): Promise<Subjects> {
  const day = (d: string | Date) => new Date(d).toISOString().slice(0, 10);
  if (store === 'demo') {
    const seller = { login: 'seller1@demo.agora.local', password: 'agora-demo-seller-1' };
    const shop = await one<{ id: number; slug: string }>(sequelize, "SELECT s.id, s.slug FROM shops s JOIN users u ON u.id = s.owner_id WHERE u.username = 'seller1'");
    const order = await sequelize.query<{ number: string; created_at: string }>('SELECT number, created_at FROM orders WHERE shop_id = :shop ORDER BY id LIMIT 1', { replacements: { shop: shop.id }, type: QueryTypes.SELECT });
    const products = await one<{ n: number | string }>(sequelize, "SELECT COUNT(*) AS n FROM products WHERE status = 'published'");
    return {
      buyer: { login: 'buyer@demo.agora.local', password: 'agora-demo-buyer' },
      seller,
      product: (await one<{ slug: string }>(sequelize, "SELECT slug FROM products WHERE status = 'published' ORDER BY rating_count DESC, id LIMIT 1")).slug,
      shop: shop.slug,
      category: (await one<{ slug: string }>(sequelize, 'SELECT c.slug FROM categories c JOIN products p ON p.category_id = c.id GROUP BY c.slug ORDER BY COUNT(*) DESC LIMIT 1')).slug,
      orderPrefix: order[0]?.number.slice(0, 7) ?? 'AG-',
      day: order[0] ? day(order[0].created_at) : day(new Date()),
      deepPage: Math.max(1, Math.ceil(Number(products.n) / 24)),
    };
  }
  const buyer = await one<{ email: string }>(sequelize, 'SELECT u.email FROM users u JOIN (SELECT buyer_id, COUNT(*) AS n FROM orders GROUP BY buyer_id ORDER BY n DESC LIMIT 1) top ON top.buyer_id = u.id');
  const shop = await one<{ id: number; slug: string; email: string }>(
    sequelize,
    'SELECT s.id, s.slug, u.email FROM shops s JOIN users u ON u.id = s.owner_id JOIN (SELECT shop_id, COUNT(*) AS n FROM orders GROUP BY shop_id ORDER BY n DESC LIMIT 1) top ON top.shop_id = s.id',
  );
  const order = await one<{ number: string; created_at: string }>(sequelize, `SELECT number, created_at FROM orders WHERE shop_id = :shop AND number LIKE '${BENCH_ORDER_PREFIX}-%' ORDER BY id DESC LIMIT 1`, { shop: shop.id });
  return {
    buyer: { login: buyer.email, password: 'bench-seller-password' },
    seller: { login: shop.email, password: 'bench-seller-password' },
    product: (await one<{ slug: string }>(sequelize, "SELECT slug FROM products WHERE status = 'published' ORDER BY rating_count DESC, id LIMIT 1")).slug,
    shop: shop.slug,
    category: 'bench-ceramics',
    orderPrefix: order.number.slice(0, 14),
    day: day(order.created_at),
    deepPage: 1000,
  };
}

function pages(s: Subjects): Array<{ name: string; url: string; who?: 'buyer' | 'seller' }> {
  const month = new Date(new Date(s.day).getTime() - 30 * 86400_000).toISOString().slice(0, 10);
  return [
    { name: 'catalog, page 1 (newest)', url: '/products' },
    { name: 'catalog, price low to high', url: '/products?sort=price_asc' },
    { name: 'catalog, price high to low', url: '/products?sort=price_desc' },
    { name: 'catalog, best rated', url: '/products?sort=rating' },
    { name: 'catalog, 4 stars and up', url: '/products?rating=4' },
    { name: 'catalog, price range', url: '/products?min=20&max=60' },
    { name: 'catalog, category', url: `/products?category=${s.category}` },
    { name: 'catalog, category by price', url: `/products?category=${s.category}&sort=price_asc` },
    { name: 'catalog, category, 4 stars, by rating', url: `/products?category=${s.category}&rating=4&sort=rating` },
    { name: 'catalog, search', url: '/products?q=mug' },
    { name: `catalog, deep page (${s.deepPage})`, url: `/products?page=${s.deepPage}` },
    { name: `catalog, by price, deep page (${s.deepPage})`, url: `/products?sort=price_asc&page=${s.deepPage}` },
    { name: 'product', url: `/products/${s.product}` },
    { name: 'shop', url: `/shops/${s.shop}` },
    { name: 'shop, by price, page 3', url: `/shops/${s.shop}?sort=price_asc&page=3` },
    { name: 'my orders', url: '/account/orders', who: 'buyer' },
    { name: 'my orders, page 5', url: '/account/orders?page=5', who: 'buyer' },
    { name: "seller's orders", url: '/seller/orders', who: 'seller' },
    { name: "seller's orders, completed", url: '/seller/orders?status=completed', who: 'seller' },
    { name: "seller's orders, by number", url: `/seller/orders?q=${encodeURIComponent(s.orderPrefix)}`, who: 'seller' },
    { name: "seller's orders, buyer name", url: '/seller/orders?q=buyer%201', who: 'seller' },
    { name: "seller's orders, a month", url: `/seller/orders?from=${month}&to=${s.day}`, who: 'seller' },
    { name: "seller's orders, page 20", url: '/seller/orders?page=20', who: 'seller' },
    { name: 'seller dashboard', url: '/seller', who: 'seller' },
  ];
}

/** A browser's cookie jar, in one header. */
function jar() {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies.entries()].map(([k, v]) => `${k}=${v}`).join('; '),
    take(res: Response) {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair.indexOf('=');
        cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
    },
  };
}

async function logIn(base: string, person: Person): Promise<ReturnType<typeof jar>> {
  const cookies = jar();
  const form = await fetch(`${base}/login`);
  cookies.take(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookies.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, login: person.login, password: person.password }).toString(),
  });
  cookies.take(res);
  if (res.status !== 303 && res.status !== 302) throw new Error(`logging in ${person.login} answered ${res.status}`);
  if ((res.headers.get('location') ?? '').startsWith('/login/continue')) throw new Error(`${person.login} is held at the login gate`);
  return cookies;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

async function main(): Promise<void> {
  const config =
    store === 'demo'
      ? loadConfig({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'agora-demo-latency-')), DATABASE_URL: process.env.DEMO_DATABASE_URL ?? '', DEMO_SEED: '1', ADMIN_EMAIL: 'demo-admin@agora.local', ADMIN_PASSWORD: 'demo-admin-password' })
      : benchConfig();
  const platform = await createPlatform(config);
  const { app } = buildApp(platform);
  platform.plugins.discover();
  await startPlatform(platform, platform.plugins.list().filter((p) => p.source === 'bundled').map((p) => p.manifest.name));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dialect = platform.sequelize.getDialect();
  const s = await subjects(platform.sequelize);
  const people = { buyer: await logIn(base, s.buyer), seller: await logIn(base, s.seller) };
  const results: Array<{ page: string; url: string; p50: number; p95: number; bytes: number }> = [];
  for (const page of pages(s)) {
    const headers: Record<string, string> = page.who ? { cookie: people[page.who].header() } : {};
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < WARM + TIMES; i++) {
      const started = performance.now();
      const res = await fetch(base + page.url, { headers, redirect: 'manual' });
      const body = await res.text();
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`${page.url} answered ${res.status}`);
      bytes = body.length;
      if (i >= WARM) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const row = { page: page.name, url: page.url, p50: percentile(times, 50), p95: percentile(times, 95), bytes };
    results.push(row);
    console.log(`${row.page.padEnd(48)} p50 ${row.p50.toFixed(1).padStart(7)} ms  p95 ${row.p95.toFixed(1).padStart(7)} ms  ${bytes} B`);
  }
  server.close();
  await stopPlatform(platform);

  const dir = path.join(rootDir, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = (name: string) => path.join(dir, `latency-${name}-${dialect}.json`);
  fs.writeFileSync(file(store), JSON.stringify({ store, dialect, at: new Date().toISOString(), loadAverage: os.loadavg(), warm: WARM, times: TIMES, results }, null, 2));
  const other = store === 'demo' ? 'marketplace' : 'demo';
  if (!fs.existsSync(file(other))) return;
  const theirs = JSON.parse(fs.readFileSync(file(other), 'utf8')) as { results: typeof results };
  const [demo, big] = store === 'demo' ? [results, theirs.results] : [theirs.results, results];
  console.log(`\n| page (${dialect}) | demo p50 (ms) | marketplace p50 (ms) | ratio | marketplace p95 (ms) |\n| --- | --- | --- | --- | --- |`);
  for (const row of big) {
    const small = demo.find((d) => d.page.replace(/\(\d+\)/, '') === row.page.replace(/\(\d+\)/, ''));
    const ratio = small ? (row.p50 / small.p50).toFixed(2) : '–';
    console.log(`| ${row.page} | ${small ? small.p50.toFixed(1) : '–'} | ${row.p50.toFixed(1)} | ${ratio} | ${row.p95.toFixed(1)} |`);
  }
}

await main();

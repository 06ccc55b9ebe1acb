import http from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import { expect } from 'chai';
import supertest from 'supertest';
import { DEFAULT_PLUGINS } from '../../../core/create-platform';
import { observeLeanReads } from '../../../core/db/lean-read';
import { createUser, login, tokenFor, type TestApp, startTestApp } from '../../helpers/app';
import { addToCart, checkout, makeProduct, makeShop } from './order-helpers';

/**
 * The SQL queries each busy page runs, with every bundled plugin active, counted through Sequelize's
 * query method and core's lean reads for the request alone (the job worker's polling runs outside it). Two things are checked:
 * a fixed bound per page (a page that grows a query fails here, and the bound is raised on purpose or the
 * query is removed), and no N+1: a page listing many rows runs as many queries as one listing a single row.
 */
describe('query counts of the busy pages (all plugins active)', function () {
  this.timeout(180_000);
  let t: TestApp;
  let server: http.Server;
  const request = new AsyncLocalStorage<{ count: number; sql: string[] }>();
  let buyer: supertest.Agent;
  let seller: supertest.Agent;
  let shopSlug: string;
  let shop: Awaited<ReturnType<typeof makeShop>>['shop'];
  let productSlug: string;
  let last: { count: number; sql: string[] } | undefined;

  before(async () => {
    t = await startTestApp({ plugins: DEFAULT_PLUGINS });
    // Model finders and raw queries alike go through sequelize.query.
    const sequelize = t.platform.sequelize;
    const query = sequelize.query.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
    (sequelize as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
      const counting = request.getStore();
      if (counting) {
        counting.count++;
        const sql = args[0];
        counting.sql.push(typeof sql === 'string' ? sql : String((sql as { query?: string })?.query ?? sql));
      }
      return query(...args);
    };
    // Core's lean read path (core/db/lean-read.ts) bypasses sequelize.query: its queries count the same.
    observeLeanReads(sequelize, (sql) => {
      const counting = request.getStore();
      if (!counting) return;
      counting.count++;
      counting.sql.push(sql);
    });
    // Every request runs inside the store, so its queries (and only its) are counted.
    server = http.createServer((req, res) => {
      last = { count: 0, sql: [] };
      request.run(last, () => t.app(req, res));
    });
    const made = await makeShop(t);
    shop = made.shop;
    shopSlug = shop.slug;
    seller = supertest.agent(server);
    await login(seller, made.seller.username, made.password);
    const product = await makeProduct(t, shop, { title: 'First vase', stock: null });
    productSlug = product.slug;
    const { user, password } = await createUser();
    buyer = supertest.agent(server);
    await login(buyer, user.username, password);
    await order(product.id);
    await favourite(product.id);
  });
  after(async () => {
    server?.close();
    await t?.close();
  });

  async function order(productId: number): Promise<void> {
    expect((await addToCart(buyer, productId, 1)).status).to.equal(303);
    // The consent boxes gdpr adds to the checkout (terms, privacy policy): ticked, as the buyer would.
    const page = await buyer.get('/checkout');
    const accept = [...page.text.matchAll(/<input type="checkbox" id="[^"]*" name="gdpr_accept" value="(\d+)"/g)].map((m) => m[1]);
    const shown = [...page.text.matchAll(/<input type="hidden" name="(gdpr_shown)" value="([^"]*)"/g)].map((m) => m[2]);
    const boxes = { gdpr_accept: accept, gdpr_shown: shown[0] ?? "" } as unknown as Record<string, string>;
    const res = await checkout(buyer, boxes);
    expect(res.status, [...res.text.matchAll(/class="[^"]*error[^"]*"[^>]*>([^<]+)</g)].map((m) => m[1]).join(" | ")).to.equal(303);
  }

  /** The buyer's heart on a product page: the seller's dashboard lists the most favourited products. */
  async function favourite(productId: number): Promise<void> {
    const token = await tokenFor(buyer, '/account');
    expect((await buyer.post(`/follows/products/${productId}/favourite`).type('form').send({ _csrf: token })).status).to.equal(303);
  }

  /** The queries one GET ran (the page itself: redirects are not followed). */
  async function queriesOf(agent: supertest.Agent, url: string): Promise<{ count: number; sql: string[] }> {
    // Twice: the count of a warm instance (the first request may fill a cache).
    for (let i = 0; i < 2; i++) expect((await agent.get(url)).status, url).to.equal(200);
    return last!;
  }

  const guest = () => supertest(server);
  // The pages and their bounds: the counts with every bundled plugin active when this was written on SQLite
  // and PostgreSQL. A page that needs one more raises its bound here, on purpose. Logged-in pages carry the
  // layout's per-request queries, each once: the session read (its expiry renewed at most every
  // SESSION_TOUCH_MINUTES, not on each page), the user, the unread counts of follows and messaging, the cart
  // badge (one query) and the person's shop memberships (once per request, core's perRequest); gdpr's policy
  // stamp comes from a read cache. My orders: 9 (was 15); seller's orders: 11 (was 20); dashboard with one favourite: 16 (was 18).
  const pages: Array<{ name: string; url: () => string; who: () => supertest.Agent; bound: number }> = [
    { name: 'catalog', url: () => '/products', who: guest, bound: 2 },
    { name: 'catalog, sorted by price, page 2', url: () => '/products?sort=price_asc&page=2', who: guest, bound: 2 },
    { name: 'catalog, price filter', url: () => '/products?min=1&max=500', who: guest, bound: 2 },
    { name: 'product', url: () => `/products/${productSlug}`, who: guest, bound: 7 },
    { name: 'shop', url: () => `/shops/${shopSlug}`, who: guest, bound: 6 },
    { name: 'my orders', url: () => '/account/orders', who: () => buyer, bound: 9 },
    { name: "seller's orders", url: () => '/seller/orders', who: () => seller, bound: 11 },
    { name: 'seller dashboard', url: () => '/seller', who: () => seller, bound: 16 },
  ];

  const small = new Map<string, number>();

  it('keeps every page within its bound, with one row on the page', async () => {
    const over: string[] = [];
    for (const page of pages) {
      const { count, sql } = await queriesOf(page.who(), page.url());
      small.set(page.name, count);
      console.log(`      ${page.name}: ${count} queries`);
      if (process.env.SHOW_SQL) console.log(sql.map((q) => `        ${q.slice(0, 300)}`).join('\n'));
      if (count > page.bound) over.push(`${page.name}: ${count} > ${page.bound}\n        ${sql.join('\n        ')}`);
    }
    expect(over, over.join('\n')).to.deep.equal([]);
  });

  it('runs the same queries for a full page of rows as for one (no N+1)', async () => {
    // 49 products more: the catalog's first page (24) and the second are full; 5 orders more for the order lists.
    for (let i = 0; i < 49; i++) await makeProduct(t, shop, { title: `Vase ${i}`, price: 100 + i, stock: null });
    const { Product } = await import('./shop-models').then((m) => m.shopModels());
    const another = await Product.findOne({ where: { shop_id: shop.id, title: 'Vase 3' } });
    for (let i = 0; i < 5; i++) await order(another!.id);
    // Five products more in the buyer's favourites: the dashboard's list of them is one query, not one per product.
    for (const title of ['Vase 0', 'Vase 1', 'Vase 2', 'Vase 3', 'Vase 4']) await favourite((await Product.findOne({ where: { shop_id: shop.id, title } }))!.id);
    const grown: string[] = [];
    for (const page of pages) {
      const { count } = await queriesOf(page.who(), page.url());
      if (count !== small.get(page.name)) grown.push(`${page.name}: ${small.get(page.name)} with one row, ${count} with many`);
    }
    expect(grown, grown.join('\n')).to.deep.equal([]);
  });
});

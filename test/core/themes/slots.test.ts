import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { rootDir } from '../../../core/config';
import { startTestApp, createUser, login, type TestApp } from '../../helpers/app';
import { createProduct, sellerWithShop } from '../../plugins/shops/catalog-helpers';
import type { PluginContext } from '../../../core/plugins/context';
import type { ProductPageContext } from '../../../plugins/shops/hooks';
import { slotContextFrom } from '../../../core/themes/slots';

describe('typed slots and the product page context', () => {
  let t: TestApp;
  let slug: string;

  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'hello'], fixtures: true });
    const seller = await sellerWithShop(t, { name: 'Slot Shop', slug: 'slot-shop' });
    const res = await createProduct(seller.agent, { title: 'Typed Teapot', slug: 'typed-teapot', price: '19.00', status: 'published' });
    expect(res.status).to.equal(303);
    slug = 'typed-teapot';
  });
  after(async () => t.close());

  it("fills the example plugin's typed slot with the product, the shop and the viewer", async () => {
    const guest = await t.agent().get(`/products/${slug}`).expect(200);
    expect(guest.text).to.contain('<p class="hello-product-note">Hello, guest! You are looking at Typed Teapot from Slot Shop.</p>');

    const { user, password } = await createUser({ display_name: 'Petra <Potter>' });
    const agent = t.agent();
    await login(agent, user.username, password);
    const page = await agent.get(`/products/${slug}`).expect(200);
    expect(page.text, "the viewer's name, escaped").to.contain('Hello, Petra &lt;Potter&gt;! You are looking at Typed Teapot from Slot Shop.');
    // The fill sits where the template calls the slot: after the summary (its price), before the tabs.
    expect(page.text.indexOf('€19.00')).to.be.within(0, page.text.indexOf('hello-product-note'));
    expect(page.text.indexOf('hello-product-note')).to.be.lessThan(page.text.indexOf('Shipping &amp; returns'));
  });

  it('hands a slot filler the model instances the page shows, the query and the template', async () => {
    const seen: Array<{ template: string; product: string; shop: string; viewer?: string; q: unknown }> = [];
    const dispose = t.platform.hooks.filter('probe', 'view.shops.product.after_tabs', (fragments, ctx) => {
      seen.push({ template: ctx.template, product: ctx.product.constructor.name, shop: ctx.shop.name, viewer: ctx.viewer?.username, q: ctx.query.ref });
      return [...fragments, { html: `<p id="probe">${ctx.tabs.map((tab) => tab.id).join(',')}</p>` }];
    });
    try {
      const res = await t.agent().get(`/products/${slug}?ref=newsletter`).expect(200);
      expect(res.text).to.contain('<p id="probe">description,shipping</p>');
      expect(seen).to.deep.equal([{ template: 'shops/product', product: 'Product', shop: 'Slot Shop', viewer: undefined, q: 'newsletter' }]);
    } finally {
      dispose();
    }
  });

  it("gives the shop page's and the catalog's slots the objects those pages show", async () => {
    const seen: string[] = [];
    const disposers = [
      t.platform.hooks.filter('probe', 'view.shops.shop.after_about', (f, ctx) => [...f, { html: `<p id="shop-probe">${ctx.shop.slug}: ${ctx.result.total}</p>` }]),
      t.platform.hooks.filter('probe', 'view.shops.catalog.sidebar', (f, ctx) => {
        seen.push(`${ctx.template} ${ctx.result.total} ${String(ctx.query.q)}`);
        return f;
      }),
    ];
    try {
      expect((await t.agent().get('/shops/slot-shop').expect(200)).text).to.contain('<p id="shop-probe">slot-shop: 1</p>');
      await t.agent().get('/products?q=teapot').expect(200);
      expect(seen).to.deep.equal(['shops/catalog 1 teapot']);
    } finally {
      for (const d of disposers) d();
    }
  });

  it('gives the product tabs filter the viewer and the query (the page of reviews asked for)', async () => {
    const pages: ProductPageContext[] = [];
    const dispose = t.platform.hooks.filter('reviews', 'shops.product.tabs', (tabs, product, page) => {
      pages.push(page);
      const asked = typeof page.query.page === 'string' ? Number(page.query.page) : 1;
      const who = page.viewer ? page.viewer.username : 'guest';
      return [...tabs, { id: 'reviews', title: 'Reviews', html: `<p id="reviews-page">Reviews of ${product.title}, page ${asked}, for ${who}</p>`, order: 15 }];
    });
    try {
      const guest = await t.agent().get(`/products/${slug}?page=3`).expect(200);
      expect(guest.text).to.contain('<p id="reviews-page">Reviews of Typed Teapot, page 3, for guest</p>');
      const { user, password } = await createUser();
      const agent = t.agent();
      await login(agent, user.username, password);
      const mine = await agent.get(`/products/${slug}`).expect(200);
      expect(mine.text).to.contain(`<p id="reviews-page">Reviews of Typed Teapot, page 1, for ${user.username}</p>`);
      expect(pages.map((p) => [p.product.slug, p.shop.slug])).to.deep.equal([
        ['typed-teapot', 'slot-shop'],
        ['typed-teapot', 'slot-shop'],
      ]);
    } finally {
      dispose();
    }
  });

  it('builds a context for mail and other renders without a request: no viewer, an empty query', () => {
    const ctx = slotContextFrom('core/mail/layout', { subject: 'x' });
    expect(ctx.viewer).to.equal(undefined);
    expect(ctx.query).to.deep.equal({});
    expect(ctx.template).to.equal('core/mail/layout');
  });

  it('refuses, at compile time, a misspelt slot and a field the slot does not have', () => {
    // Only types are checked here: the functions are never called.
    const typed = (ctx: PluginContext) => {
      ctx.slot('shops.product.after_summary', ({ product, shop, viewer, query }) => ({ html: `${product.title}${shop.name}${viewer?.id ?? ''}${String(query.x)}` }));
      // @ts-expect-error -- a misspelt slot does not compile
      ctx.slot('shops.product.aftr_summary', () => undefined);
      // @ts-expect-error -- the catalog's slots know no product
      ctx.slot('shops.catalog.sidebar', ({ product }) => ({ html: String(product) }));
      // @ts-expect-error -- a fill returns fragments, not a string
      ctx.slot('core.footer', () => '<p>hi</p>');
      // @ts-expect-error -- the filter behind a slot is typed too
      t.platform.hooks.filter('x', 'view.shops.product.aftr_tabs', (f) => f);
    };
    expect(typed).to.be.a('function');
  });

  it('has every slot that a template calls declared in a SlotMap by its owner', () => {
    const walk = (dir: string, ext: string): string[] =>
      fs.existsSync(dir)
        ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'node_modules' ? [] : walk(path.join(dir, e.name), ext)) : e.name.endsWith(ext) ? [path.join(dir, e.name)] : []))
        : [];
    const roots = ['views', 'plugins', 'themes', 'test/fixtures'].map((d) => path.join(rootDir, d));
    const called = new Map<string, string>();
    for (const file of roots.flatMap((r) => walk(r, '.ejs'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/slot\(\s*'([a-z0-9_.-]+)'/g)) called.set(m[1], path.relative(rootDir, file));
    }
    const declared = new Set<string>();
    for (const file of [path.join(rootDir, 'core'), ...roots].flatMap((r) => walk(r, '.ts'))) {
      const source = fs.readFileSync(file, 'utf8');
      for (const block of source.matchAll(/interface SlotMap \{([\s\S]*?)\n\s*\}\n/g)) {
        for (const key of block[1].matchAll(/^\s*'([a-z0-9_.-]+)'\s*:/gm)) declared.add(key[1]);
      }
    }
    expect(called.size, 'the scan found the templates').to.be.greaterThan(20);
    const missing = [...called].filter(([name]) => !declared.has(name)).map(([name, file]) => `${name} (${file})`);
    expect(missing, 'slots called by a template but declared in no SlotMap').to.deep.equal([]);
  });
});

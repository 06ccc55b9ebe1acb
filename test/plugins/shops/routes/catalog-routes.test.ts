import { expect } from 'chai';
import { observeLeanReads } from '../../../../core/db/lean-read';
import { startTestApp, type TestApp } from '../../../helpers/app';
import { createProduct, pngImage, sellerWithShop } from '../catalog-helpers';
import { shopModels } from '../shop-models';

describe('shops: catalog, product and shop pages', () => {
  let t: TestApp;
  let seller: Awaited<ReturnType<typeof sellerWithShop>>;

  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
    seller = await sellerWithShop(t, { name: 'Clay & Co', slug: 'clay-and-co', location: 'Porto, Portugal', policy_returns: 'Send it back within 14 days.', policy_terms: 'Handmade: each piece differs.' });
    const { Category } = shopModels();
    const kitchen = await Category.create({ name: 'Kitchen', slug: 'kitchen' });
    const image = [{ field: 'images', data: await pngImage('#aa5500', 300, 300), filename: 'p.png' }];
    const add = async (fields: Parameters<typeof createProduct>[1]) => {
      const res = await createProduct(seller.agent, { status: 'published', ...fields }, image);
      if (res.status !== 303) throw new Error(`product not created: ${res.status}`);
    };
    await add({ title: 'Speckled Mug', price: '24.00', compare_at_price: '30.00', stock: '3', tags: 'coffee, gift', category_id: String(kitchen.id), description: 'Holds 330 ml.\n\nDishwasher safe.' });
    await add({ title: 'Serving Bowl', price: '58.00', category_id: String(kitchen.id) });
    await add({ title: 'Sold Out Vase', price: '45.00', stock: '0' });
    for (let i = 1; i <= 25; i++) await add({ title: `Tile ${String(i).padStart(2, '0')}`, price: `${i}.00`, tags: 'tile' });
    await shopModels().Shop.update({ sales_count: 1234 }, { where: { id: seller.shop.id } });
  });
  after(async () => t.close());

  describe('/products', () => {
    it('lists products newest first with prices and discounts, 24 a page, and links to the next page', async () => {
      const res = await t.agent().get('/products').expect(200);
      expect(res.text).to.contain('28 products');
      expect(res.text.indexOf('Tile 25')).to.be.lessThan(res.text.indexOf('Tile 24'));
      expect(res.text).to.not.contain('Speckled Mug');
      expect(res.text).to.contain('href="/products?sort=newest&amp;page=2"');
      const second = await t.agent().get('/products?page=2').expect(200);
      expect(second.text).to.contain('Speckled Mug');
      expect(second.text).to.contain('€30.00');
      expect(second.text).to.contain('&minus;20%');
      expect(second.text).to.contain('Out of stock');
      expect(second.text).to.contain('Page 2 of 2');
    });

    it('searches, filters by category and price, and sorts', async () => {
      const byTag = await t.agent().get('/products?q=coffee').expect(200);
      expect(byTag.text).to.contain('Speckled Mug');
      expect(byTag.text).to.contain('1 product<');
      const byDescription = await t.agent().get('/products?q=dishwasher').expect(200);
      expect(byDescription.text).to.contain('Speckled Mug');
      const kitchen = await t.agent().get('/products?category=kitchen&sort=price_desc').expect(200);
      expect(kitchen.text).to.contain('2 products');
      expect(kitchen.text.indexOf('Serving Bowl')).to.be.lessThan(kitchen.text.indexOf('Speckled Mug'));
      const cheap = await t.agent().get('/products?q=tile&min=2&max=3.50&sort=price_asc').expect(200);
      expect(cheap.text).to.contain('2 products');
      expect(cheap.text.indexOf('Tile 02')).to.be.lessThan(cheap.text.indexOf('Tile 03'));
      expect(cheap.text).to.not.contain('Tile 04');
    });

    it('ignores filters that make no sense instead of failing', async () => {
      const res = await t.agent().get('/products?sort=bogus&min=abc&category=Nope!&page=-3&q[]=x').expect(200);
      expect(res.text).to.contain('28 products');
    });

    it('reads a page with two queries on products, whatever the number of cards (no query per card)', async () => {
      const sequelize = t.platform.sequelize;
      const original = sequelize.query.bind(sequelize);
      const seen: string[] = [];
      sequelize.query = ((sql: unknown, ...rest: unknown[]) => {
        const text = typeof sql === 'string' ? sql : String((sql as { query?: string }).query ?? sql);
        if (/\bproducts\b/.test(text)) seen.push(text);
        return (original as (...a: unknown[]) => unknown)(sql, ...rest);
      }) as typeof sequelize.query;
      // The catalog reads through core's lean read path (core/db/lean-read.ts), which bypasses sequelize.query.
      const stopObserving = observeLeanReads(sequelize, (text) => {
        if (/\bproducts\b/.test(text)) seen.push(text);
      });
      try {
        await t.agent().get('/products?q=tile').expect(200);
      } finally {
        sequelize.query = original;
        stopObserving();
      }
      expect(seen).to.have.length(2);
    });
  });

  describe('/products/:slug', () => {
    it('shows pictures, price, discount, stock, tags, tabs and the shop card, and an add-to-cart form', async () => {
      const res = await t.agent().get('/products/speckled-mug').expect(200);
      expect(res.text).to.match(/<img class="product-main-image" src="\/uploads\/products\/\d+\/[\w-]+\.webp"/);
      expect(res.text).to.contain('€24.00');
      expect(res.text).to.contain('€30.00');
      expect(res.text).to.contain('Save €6.00 (20%)');
      expect(res.text).to.contain('Only 3 left');
      expect(res.text).to.contain('<p>Holds 330 ml.</p>');
      expect(res.text).to.contain('Shipping &amp; returns');
      expect(res.text).to.contain('Send it back within 14 days.');
      expect(res.text).to.contain('href="/shops/clay-and-co"');
      expect(res.text).to.contain('1,234 sales');
      expect(res.text).to.match(/<form method="post" action="\/cart\/items" class="add-to-cart">/);
      expect(res.text).to.match(/name="product_id" value="\d+"/);
      expect(res.text).to.match(/name="quantity" value="1" min="1" max="3"/);
    });

    it('fills the slots and tabs other plugins add', async () => {
      const disposers = [
        t.platform.hooks.filter('reviews', 'view.shops.product.after_summary', (f, ctx) => [...f, { html: `<p id="slot-summary">Rated 5 for ${(ctx.locals.product as { title: string }).title}</p>` }]),
        t.platform.hooks.filter('follows', 'view.shops.product.shop_card', (f) => [...f, { html: '<button id="slot-follow">Follow</button>' }]),
        t.platform.hooks.filter('messaging', 'view.shops.product.after_tabs', (f) => [...f, { html: '<a id="slot-contact">Contact the seller</a>' }]),
        t.platform.hooks.filter('reviews', 'shops.product.tabs', (tabs, product) => [...tabs, { id: 'reviews', title: 'Reviews', html: `<p id="tab-reviews-body">No reviews of ${product.title} yet</p>`, order: 15 }]),
      ];
      try {
        const res = await t.agent().get('/products/speckled-mug').expect(200);
        expect(res.text).to.contain('<p id="slot-summary">Rated 5 for Speckled Mug</p>');
        expect(res.text).to.contain('<button id="slot-follow">Follow</button>');
        expect(res.text).to.contain('<a id="slot-contact">Contact the seller</a>');
        expect(res.text).to.contain('No reviews of Speckled Mug yet');
        const order = ['id="tab-description"', 'id="tab-reviews"', 'id="tab-shipping"'].map((s) => res.text.indexOf(s));
        expect(order).to.deep.equal([...order].sort((a, b) => a - b));
        expect(res.text.indexOf('slot-contact')).to.be.greaterThan(res.text.indexOf('tab-shipping'));
      } finally {
        for (const d of disposers) d();
      }
    });

    it('offers no add-to-cart form for a product out of stock', async () => {
      const res = await t.agent().get('/products/sold-out-vase').expect(200);
      expect(res.text).to.contain('<span class="stock-out">Out of stock</span>');
      expect(res.text).to.not.contain('action="/cart/items"');
      expect(res.text).to.contain('disabled>Out of stock</button>');
    });

    it('hides add-to-cart and shows the message while the shop is on vacation, and not after', async () => {
      const { Shop } = shopModels();
      await Shop.update({ vacation_mode: true, vacation_message: 'Back on 3 September.' }, { where: { id: seller.shop.id } });
      try {
        const res = await t.agent().get('/products/serving-bowl').expect(200);
        expect(res.text).to.not.contain('action="/cart/items"');
        expect(res.text).to.contain('Clay &amp; Co is on vacation.');
        expect(res.text).to.contain('Back on 3 September.');
        const shopPage = await t.agent().get('/shops/clay-and-co').expect(200);
        expect(shopPage.text).to.contain('This shop is on vacation.');
      } finally {
        await Shop.update({ vacation_mode: false, vacation_message: '' }, { where: { id: seller.shop.id } });
      }
      const res = await t.agent().get('/products/serving-bowl').expect(200);
      expect(res.text).to.contain('action="/cart/items"');
    });

    it('answers 404 for an unknown product, a bad address and another shop\'s draft', async () => {
      await t.agent().get('/products/no-such-thing').expect(404);
      await t.agent().get('/products/..%2F..%2Fetc').expect(404);
      await createProduct(seller.agent, { title: 'Hidden Draft', status: 'draft' });
      await t.agent().get('/products/hidden-draft').expect(404);
      const other = await sellerWithShop(t);
      await other.agent.get('/products/hidden-draft').expect(404);
      await seller.agent.get('/products/hidden-draft').expect(200);
    });
  });

  describe('shops', () => {
    it('shows the shop page: about, policies, member since, sales, and its products paginated', async () => {
      const res = await t.agent().get('/shops/clay-and-co').expect(200);
      expect(res.text).to.contain('<h1>Clay &amp; Co</h1>');
      expect(res.text).to.contain('Porto, Portugal');
      expect(res.text).to.contain('We sell test things.');
      expect(res.text).to.contain('Handmade: each piece differs.');
      expect(res.text).to.contain('Send it back within 14 days.');
      const since = new Date().toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
      expect(res.text).to.contain(`Member since ${since}`);
      expect(res.text).to.contain('1,234 sales');
      expect(res.text).to.contain('28 products');
      expect(res.text).to.contain('Standard</strong>: €4.50, free over €50.00');
      expect(res.text).to.contain('href="/shops/clay-and-co?page=2"');
      const page2 = await t.agent().get('/shops/clay-and-co?page=2&sort=price_desc').expect(200);
      expect(page2.text).to.contain('Tile 01');
    });

    it('lists shops, but not one whose owner is gone', async () => {
      const { Shop } = shopModels();
      const orphan = await sellerWithShop(t, { name: 'Orphaned Shop' });
      await Shop.update({ owner_id: null }, { where: { id: orphan.shop.id } });
      const res = await t.agent().get('/shops').expect(200);
      expect(res.text).to.contain('Clay &amp; Co');
      expect(res.text).to.not.contain('Orphaned Shop');
      await t.agent().get(`/shops/${orphan.shop.slug}`).expect(200);
      await t.agent().get('/shops/nope').expect(404);
    });
  });

  it('fills the home page with the newest products and shops, and the header with Products and Shops', async () => {
    const res = await t.agent().get('/').expect(200);
    expect(res.text).to.contain('New in the marketplace');
    expect(res.text).to.contain('Tile 25');
    expect(res.text).to.contain('New shops');
    expect(res.text).to.match(/<nav class="site-nav"[^>]*>[\s\S]*href="\/products"[\s\S]*href="\/shops"[\s\S]*<\/nav>/);
    const sellerHome = await seller.agent.get('/').expect(200);
    expect(sellerHome.text).to.contain('href="/seller">Your shop</a>');
  });
});

import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp } from '../../../helpers/app';
import { usePostgres } from '../../../helpers/database';
import { buildCatalogQuery, searchProducts, searchTerms, type CatalogFilters } from '../../../../plugins/shops/services/catalog-service';
import { sellerWithShop } from '../catalog-helpers';
import { shopModels } from '../shop-models';

describe('shops: the catalog queries', () => {
  let t: TestApp;
  let shopId: number;
  let otherShopId: number;
  const cat: Record<string, number> = {};
  const search = (filters: CatalogFilters, page = 1, perPage = 24) => searchProducts(filters, { page, perPage }, { sequelize: t.platform.sequelize });
  const titles = async (filters: CatalogFilters, page = 1, perPage = 24) => (await search(filters, page, perPage)).items.map((i) => i.title);

  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
    const { Category, Product } = shopModels();
    shopId = (await sellerWithShop(t)).shop.id;
    otherShopId = (await sellerWithShop(t)).shop.id;
    const home = await Category.create({ name: 'Home', slug: 'home' });
    const kitchen = await Category.create({ name: 'Kitchen', slug: 'kitchen', parent_id: home.id });
    const clothing = await Category.create({ name: 'Clothing', slug: 'clothing' });
    Object.assign(cat, { home: home.id, kitchen: kitchen.id, clothing: clothing.id });
    const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes));
    const rows = [
      { title: 'Speckled ceramic mug', description: 'Holds a large coffee.', tags_text: 'kitchen gift', price: 2400, category_id: kitchen.id, published_at: at(1) },
      { title: 'Blue serving bowl', description: 'Glazed like the river Douro.', tags_text: 'kitchen', price: 5800, category_id: kitchen.id, published_at: at(2) },
      { title: 'Wool sweater', description: 'Warm for the winter.', tags_text: 'wool winter', price: 12900, category_id: clothing.id, published_at: at(3) },
      { title: 'Cable knit scarf', description: 'Soft and long.', tags_text: 'wool gift', price: 4900, category_id: clothing.id, published_at: at(4) },
      { title: 'Linen tablecloth', description: 'For big family dinners.', tags_text: 'table', price: 3900, category_id: home.id, published_at: at(5) },
      { title: 'Secret draft mug', description: 'Not yet for sale.', tags_text: 'kitchen', price: 100, category_id: kitchen.id, published_at: null, status: 'draft' as const },
    ];
    for (const r of rows) {
      await Product.create({ shop_id: r.title.startsWith('Linen') ? otherShopId : shopId, slug: r.title.toLowerCase().replaceAll(' ', '-'), compare_at_price: null, currency: 'EUR', stock: null, status: 'published', ...r });
    }
  });
  after(async () => t.close());

  it('lists published products only, newest first', async () => {
    expect(await titles({})).to.deep.equal(['Linen tablecloth', 'Cable knit scarf', 'Wool sweater', 'Blue serving bowl', 'Speckled ceramic mug']);
  });

  it('finds words in the title, the tags and the description, stemmed and as prefixes', async () => {
    expect(await titles({ q: 'mug' })).to.deep.equal(['Speckled ceramic mug']);
    expect(await titles({ q: 'mugs' }), 'plural').to.deep.equal(['Speckled ceramic mug']);
    expect(await titles({ q: 'gift', sort: 'newest' }), 'tag').to.deep.equal(['Cable knit scarf', 'Speckled ceramic mug']);
    expect(await titles({ q: 'douro' }), 'description').to.deep.equal(['Blue serving bowl']);
    expect(await titles({ q: 'cera' }), 'prefix').to.deep.equal(['Speckled ceramic mug']);
    expect(await titles({ q: 'wool winter' }), 'every word').to.deep.equal(['Wool sweater']);
    expect(await titles({ q: 'draft' }), 'no drafts').to.deep.equal([]);
  });

  it('ranks a title match above a description match', async () => {
    const { Product } = shopModels();
    await Product.create({ shop_id: shopId, title: 'Coffee beans', slug: 'coffee-beans', description: 'Roasted.', price: 900, compare_at_price: null, currency: 'EUR', stock: null, category_id: null, status: 'published', tags_text: '', published_at: new Date(Date.UTC(2025, 0, 1)) });
    const result = await search({ q: 'coffee' });
    expect(result.sort).to.equal('relevance');
    expect(result.items.map((i) => i.title)).to.deep.equal(['Coffee beans', 'Speckled ceramic mug']);
    await Product.destroy({ where: { slug: 'coffee-beans' } });
    expect(await titles({ q: 'coffee' }), 'the index follows deletes').to.deep.equal(['Speckled ceramic mug']);
  });

  it('keeps the index in step with edits of the title, tags and description', async () => {
    const { Product } = shopModels();
    const scarf = (await Product.findOne({ where: { slug: 'cable-knit-scarf' } }))!;
    await scarf.update({ tags_text: 'wool alpaca' });
    expect(await titles({ q: 'alpaca' })).to.deep.equal(['Cable knit scarf']);
    expect(await titles({ q: 'gift' })).to.deep.equal(['Speckled ceramic mug']);
    await scarf.update({ tags_text: 'wool gift' });
  });

  it('filters by category (with its subcategories), shop and price, and sorts by price both ways', async () => {
    expect(await titles({ categoryIds: [cat.kitchen] })).to.deep.equal(['Blue serving bowl', 'Speckled ceramic mug']);
    expect(await titles({ categoryIds: [cat.home, cat.kitchen] })).to.deep.equal(['Linen tablecloth', 'Blue serving bowl', 'Speckled ceramic mug']);
    expect(await titles({ shopId: otherShopId })).to.deep.equal(['Linen tablecloth']);
    expect(await titles({ minPrice: 3900, maxPrice: 5800, sort: 'price_asc' })).to.deep.equal(['Linen tablecloth', 'Cable knit scarf', 'Blue serving bowl']);
    expect(await titles({ sort: 'price_desc' })).to.deep.equal(['Wool sweater', 'Blue serving bowl', 'Cable knit scarf', 'Linen tablecloth', 'Speckled ceramic mug']);
    expect(await titles({ q: 'wool', sort: 'price_asc' })).to.deep.equal(['Cable knit scarf', 'Wool sweater']);
    expect(await titles({ q: 'gift', categoryIds: [cat.clothing] })).to.deep.equal(['Cable knit scarf']);
  });

  it('pages through the results with an exact count below the window', async () => {
    const first = await search({}, 1, 2);
    expect(first.items.map((i) => i.title)).to.deep.equal(['Linen tablecloth', 'Cable knit scarf']);
    expect([first.total, first.exact, first.pages, first.hasNext]).to.deep.equal([5, true, 3, true]);
    const last = await search({}, 3, 2);
    expect(last.items.map((i) => i.title)).to.deep.equal(['Speckled ceramic mug']);
    expect(last.hasNext).to.equal(false);
    expect((await search({}, 9, 2)).items).to.deep.equal([]);
  });

  it('returns each card with its shop in the one page query', async () => {
    const [card] = (await search({ q: 'linen' })).items;
    expect(card.shop_id).to.equal(otherShopId);
    expect(card.shop_name).to.equal('Test Shop');
    expect(card.shop_slug).to.be.a('string');
    expect(card.vacation_mode).to.equal(false);
    expect(card.published_at).to.be.instanceOf(Date);
  });

  it('turns a search box into safe terms: letters and digits only, at most eight', () => {
    expect(searchTerms('  "Mug" OR title:* NEAR(a b) -x ')).to.deep.equal(['mug', 'or', 'title', 'near', 'a', 'b', 'x']);
    expect(searchTerms('a b c d e f g h i j')).to.have.length(8);
    expect(searchTerms('***')).to.deep.equal([]);
  });

  describe('counting past the window', () => {
    before(async () => {
      const now = Date.UTC(2024, 0, 1);
      const rows = Array.from({ length: 1030 }, (_, i) => ({
        shop_id: shopId,
        title: `Bulk item ${i}`,
        slug: `bulk-item-${i}`,
        description: 'Filler.',
        price: 1000 + i,
        compare_at_price: null,
        currency: 'EUR',
        stock: null,
        category_id: null,
        status: 'published',
        tags_text: 'bulk',
        image_path: null,
        published_at: new Date(now + i * 1000),
        created_at: new Date(now),
        updated_at: new Date(now),
      }));
      await t.platform.sequelize.getQueryInterface().bulkInsert('products', rows);
    });

    it('says "at least" on early pages and counts exactly near the end', async () => {
      const first = await search({ q: 'bulk' });
      expect([first.total, first.exact, first.pages, first.hasNext]).to.deep.equal([1000, false, undefined, true]);
      const deep = await search({ q: 'bulk' }, 43);
      expect([deep.total, deep.exact, deep.pages, deep.hasNext, deep.items.length]).to.deep.equal([1030, true, 43, false, 22]);
      expect(deep.items.at(-1)?.title).to.equal('Bulk item 0');
    });

it('searches with the full-text index, and sorts pages along the catalog indexes', async () => {
      const sequelize = t.platform.sequelize;
      await sequelize.query('ANALYZE');
      if (usePostgres) {
        // A thousand rows still fit in a few pages, where reading them all is cheapest; with sequential
        // scans ruled out the planner must pick among the indexes, and the one it picks is what we check.
        const explain = (filters: CatalogFilters) =>
          sequelize.transaction(async (transaction) => {
            await sequelize.query('SET LOCAL enable_seqscan = off', { transaction });
            const built = buildCatalogQuery('postgres', filters, { page: 3, perPage: 24 });
            const rows = await sequelize.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${built.sql}`, { replacements: built.replacements, type: QueryTypes.SELECT, transaction });
            return rows.map((r) => r['QUERY PLAN']).join('\n');
          });
        const searchPlan = await explain({ q: 'mug' });
        expect(searchPlan, searchPlan).to.contain('Bitmap Index Scan on products_search');
        const newestPlan = await explain({});
        expect(newestPlan, newestPlan).to.contain('products_status_published');
        expect(newestPlan).to.not.match(/Sort Key: p_1.published_at/);
        expect(await explain({ sort: 'price_asc' })).to.contain('products_status_price');
        expect(await explain({ categoryIds: [cat.kitchen], sort: 'price_desc' })).to.contain('products_category_price');
      } else {
        const explain = async (filters: CatalogFilters) => {
          const built = buildCatalogQuery('sqlite', filters, { page: 3, perPage: 24 });
          const rows = await sequelize.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${built.sql}`, { replacements: built.replacements, type: QueryTypes.SELECT });
          return rows.map((r) => r.detail).join('\n');
        };
        const searchPlan = await explain({ q: 'mug' });
        expect(searchPlan).to.match(/products_fts VIRTUAL TABLE INDEX/);
        expect(searchPlan).to.not.match(/SCAN p\b(?! USING)/);
        const newestPlan = await explain({});
        expect(newestPlan).to.contain('products_status_published');
        expect(newestPlan).to.not.contain('TEMP B-TREE FOR ORDER BY');
        expect(await explain({ sort: 'price_asc' })).to.contain('products_status_price');
        expect(await explain({ categoryIds: [cat.kitchen], sort: 'price_desc' })).to.contain('products_category_price');
        const shopPlan = await explain({ shopId });
        expect(shopPlan).to.contain('products_shop_published');
      }
    });

    it('shows the estimate on the catalog page, with a link to the next page', async () => {
      const res = await t.agent().get('/products?q=bulk').expect(200);
      expect(res.text).to.contain('1,000+ products');
      expect(res.text).to.contain('href="/products?q=bulk&amp;sort=relevance&amp;page=2"');
    });
  });
});

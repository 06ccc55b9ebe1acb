import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import type supertest from 'supertest';
import { csrfFrom, startTestApp, type TestApp } from '../../../helpers/app';
import { usePostgres } from '../../../helpers/database';
import { buildCatalogQuery } from '../../../../plugins/shops/services/catalog-service';
import { createProduct, editProduct, sellerWithShop } from '../catalog-helpers';
import { checkout, formToken } from '../order-helpers';
import { shopModels } from '../shop-models';

async function postPage(agent: supertest.Agent, pageUrl: string, action: string, body: Record<string, string | string[]>) {
  const token = csrfFrom((await agent.get(pageUrl)).text);
  return agent.post(action).type('form').send({ _csrf: token, ...body });
}

/**
 * The catalog's price sort and price filter by the lowest price one can buy (issue 17): a product with
 * variants sorts at its cheapest variant in stock, follows a variant selling out at checkout, a cancelled
 * order's restock, the seller's variants page and product form, and is never found by a price only a sold-out
 * or disabled variant has. The product's own price alone would put every one of these elsewhere.
 */
describe('shops: catalog by variant price (products.catalog_price)', function () {
  this.timeout(180_000);
  let t: TestApp;
  let seller: Awaited<ReturnType<typeof sellerWithShop>>;
  const ids: Record<string, number> = {};
  const variants: Record<string, number> = {};

  /** The titles of the catalog page in order, for a query string. */
  const titles = async (query: string) => {
    const res = await t.agent().get(`/products?${query}`).expect(200);
    return [...res.text.matchAll(/<span class="title">Kestrel ([^<]+)<\/span>/g)].map((m) => m[1]);
  };
  const cardPrice = async (title: string) => {
    const res = await t.agent().get('/products').expect(200);
    const card = new RegExp(`<span class="title">Kestrel ${title}</span>\\s*<span class="price">([^<]*)`).exec(res.text);
    return card?.[1].trim();
  };
  const catalogPrice = async (title: string) => (await shopModels().Product.findByPk(ids[title]))!.catalog_price;

  /** One row of the variants table, as the form posts it. */
  const row = (id: number, f: { price?: string; stock?: string; enabled?: boolean }) => ({
    [`variant_${id}`]: '1', ...(f.enabled === false ? {} : { [`enabled_${id}`]: 'on' }), [`sku_${id}`]: '', [`price_${id}`]: f.price ?? '', [`compare_at_price_${id}`]: '', [`stock_${id}`]: f.stock ?? '', [`image_id_${id}`]: '',
  });
  const saveVariants = async (title: string, rows: Record<string, string>) => {
    const page = `/seller/products/${ids[title]}/variants`;
    const res = await postPage(seller.agent, page, page, rows);
    expect(res.status, res.text.slice(0, 400)).to.equal(303);
  };

  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
    seller = await sellerWithShop(t, { shipping: [{ name: 'Post', price: '5.00', free_over: '', countries: '' }] });
    const { Product, ProductAttributeValue, ProductVariant } = shopModels();
    expect((await postPage(seller.agent, '/seller/attributes', '/seller/attributes', { name: 'Size', values: 'S, M, L' })).status).to.equal(303);
    for (const [title, price] of [['Mug', '20.00'], ['Sweater', '30.00'], ['Scarf', '15.00'], ['Hat', '10.00']]) {
      expect((await createProduct(seller.agent, { title: `Kestrel ${title}`, price, stock: '5', status: 'published' })).status).to.equal(303);
      ids[title] = (await Product.findOne({ where: { title: `Kestrel ${title}` } }))!.id;
    }
    const values = await ProductAttributeValue.findAll();
    const pick = (...names: string[]) => values.filter((v) => names.includes(v.value)).map((v) => String(v.id));
    for (const [title, sizes] of [['Sweater', ['S', 'M', 'L']], ['Scarf', ['S', 'M']], ['Hat', ['S', 'M']]] as const) {
      const page = `/seller/products/${ids[title]}/variants`;
      expect((await postPage(seller.agent, page, `${page}/generate`, { value_ids: pick(...sizes) })).status).to.equal(303);
      const made = await ProductVariant.findAll({ where: { product_id: ids[title] }, order: [['position', 'ASC']] });
      for (const [i, v] of made.entries()) variants[`${title} ${sizes[i]}`] = v.id;
    }
    // Sweater: S is the cheapest but sold out, L the cheapest in stock (one left), M follows the product's price.
    await saveVariants('Sweater', { ...row(variants['Sweater S'], { price: '12.00', stock: '0' }), ...row(variants['Sweater M'], { stock: '2' }), ...row(variants['Sweater L'], { price: '25.00', stock: '1' }) });
    // Scarf: both at the product's price.
    await saveVariants('Scarf', { ...row(variants['Scarf S'], { stock: '3' }), ...row(variants['Scarf M'], { stock: '3' }) });
    // Hat: a cheap sold-out size and a dear one in stock; the product's own price is the lowest of all and nobody can pay it.
    await saveVariants('Hat', { ...row(variants['Hat S'], { price: '8.00', stock: '0' }), ...row(variants['Hat M'], { price: '40.00', stock: '4' }) });
  });
  after(async () => t?.close());

  it('sorts and filters by the lowest price in stock, and says "From" that price on the card', async () => {
    expect(await catalogPrice('Mug'), 'no variants: its own price').to.equal(2000);
    expect(await catalogPrice('Sweater')).to.equal(2500);
    expect(await catalogPrice('Scarf')).to.equal(1500);
    expect(await catalogPrice('Hat')).to.equal(4000);
    expect(await titles('sort=price_asc')).to.deep.equal(['Scarf', 'Mug', 'Sweater', 'Hat']);
    expect(await titles('sort=price_desc')).to.deep.equal(['Hat', 'Sweater', 'Mug', 'Scarf']);
    expect(await titles('min=21&max=26&sort=price_asc')).to.deep.equal(['Sweater']);
    expect(await titles('max=12'), 'the Hat at 10 and the sold-out €8 size are not for sale').to.deep.equal([]);
    expect(await titles('min=35')).to.deep.equal(['Hat']);
    expect(await cardPrice('Sweater')).to.equal('From €25.00');
    expect(await cardPrice('Hat')).to.equal('From €40.00');
    expect(await cardPrice('Scarf'), 'one price for every size').to.equal('€15.00');
    expect(await cardPrice('Mug')).to.equal('€20.00');
  });

  it('moves a product when its cheapest size sells out at checkout, and back when the order is cancelled', async () => {
    const buyer = t.agent();
    const token = await formToken(buyer);
    await buyer.post('/cart/items').type('form').send({ _csrf: token, product_id: String(ids.Sweater), variant_id: String(variants['Sweater L']), quantity: '1' }).expect(303);
    const placed = await checkout(buyer);
    expect(placed.status, placed.text.slice(0, 300)).to.equal(303);
    expect(await catalogPrice('Sweater'), 'in the checkout’s transaction: the next in stock is M at the product’s price').to.equal(3000);
    expect(await titles('min=21&max=26')).to.deep.equal([]);
    expect(await titles('sort=price_asc')).to.deep.equal(['Scarf', 'Mug', 'Sweater', 'Hat']);
    expect(await cardPrice('Sweater')).to.equal('From €30.00');

    const { Order, OrderItem } = shopModels();
    const item = (await OrderItem.findOne({ where: { variant_id: variants['Sweater L'] } }))!;
    const order = (await Order.findByPk(item.order_id))!;
    const page = await seller.agent.get(`/seller/orders/${order.number}`).expect(200);
    await seller.agent.post(`/seller/orders/${order.number}/status`).type('form').send({ _csrf: csrfFrom(page.text), to: 'cancelled', note: '' }).expect(303);
    expect(await catalogPrice('Sweater'), 'the unit given back').to.equal(2500);
    expect(await titles('min=21&max=26')).to.deep.equal(['Sweater']);
  });

  it('follows the product form, the variants page, a disabled size and a sold-out product', async () => {
    // Variants without a price of their own follow the product's, so its catalog price does too.
    expect((await editProduct(seller.agent, ids.Scarf, { title: 'Kestrel Scarf', price: '22.00', stock: '', status: 'published' })).status).to.equal(303);
    expect(await catalogPrice('Scarf')).to.equal(2200);
    expect(await titles('sort=price_asc')).to.deep.equal(['Mug', 'Scarf', 'Sweater', 'Hat']);
    // Any writer of a price is covered, not only the forms (a bulk edit, an import, a script).
    await shopModels().Product.update({ price: 1800 }, { where: { id: ids.Scarf } });
    expect(await catalogPrice('Scarf')).to.equal(1800);

    await saveVariants('Hat', { ...row(variants['Hat S'], { price: '8.00', stock: '0' }), ...row(variants['Hat M'], { price: '19.00', stock: '4' }) });
    expect(await catalogPrice('Hat')).to.equal(1900);
    expect(await titles('sort=price_asc')).to.deep.equal(['Scarf', 'Hat', 'Mug', 'Sweater']);

    // Every size sold out: it sorts at the lowest of them and the card says so.
    await saveVariants('Hat', { ...row(variants['Hat S'], { price: '8.00', stock: '0' }), ...row(variants['Hat M'], { price: '19.00', stock: '0' }) });
    expect(await catalogPrice('Hat')).to.equal(800);
    const res = await t.agent().get('/products').expect(200);
    expect(res.text).to.match(/Kestrel Hat<\/span>\s*<span class="price">From €8.00[\s\S]*?Out of stock/);
    // A disabled size is not offered: its price is gone from the catalog.
    await saveVariants('Hat', { ...row(variants['Hat S'], { price: '8.00', stock: '0', enabled: false }), ...row(variants['Hat M'], { price: '19.00', stock: '0' }) });
    expect(await catalogPrice('Hat')).to.equal(1900);
    expect(await titles('max=10')).to.deep.equal([]);
    // No size on sale at all: the product's own price again (and sold out).
    await saveVariants('Hat', { ...row(variants['Hat S'], { price: '8.00', stock: '0', enabled: false }), ...row(variants['Hat M'], { price: '19.00', stock: '0', enabled: false }) });
    expect(await catalogPrice('Hat')).to.equal(1000);
  });

  it('walks the price indexes for the sort and the filter, with no sort step', async () => {
    const sequelize = t.platform.sequelize;
    await sequelize.query('ANALYZE');
    const filters = { minPrice: 1000, maxPrice: 5000, sort: 'price_asc' as const };
    if (usePostgres) {
      const plan = await sequelize.transaction(async (transaction) => {
        await sequelize.query('SET LOCAL enable_seqscan = off', { transaction });
        const built = buildCatalogQuery('postgres', filters, { page: 1, perPage: 24 });
        const rows = await sequelize.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${built.sql}`, { replacements: built.replacements, type: QueryTypes.SELECT, transaction });
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan, plan).to.contain('products_status_price');
    } else {
      const built = buildCatalogQuery('sqlite', filters, { page: 1, perPage: 24 });
      const rows = await sequelize.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${built.sql}`, { replacements: built.replacements, type: QueryTypes.SELECT });
      const plan = rows.map((r) => r.detail).join('\n');
      expect(plan, plan).to.match(/products_status_price \(status=\? AND catalog_price>\? AND catalog_price<\?\)/);
      expect(plan, plan).to.not.contain('TEMP B-TREE FOR ORDER BY');
    }
  });
});

import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, login, csrfFrom, type TestApp } from '../../../helpers/app';
import { makeProduct, makeShop } from '../order-helpers';
import { shopModels } from '../shop-models';

type Agent = ReturnType<TestApp['agent']>;

describe('shops: bulk edit of a seller’s products (price, compare-at, stock, status at once)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let seller: Agent;
  let shopId: number;
  let otherProductId: number;

  const productRow = async (id: number) => {
    const [row] = await t.platform.sequelize.query<{ price: number; compare_at_price: number | null; stock: number | null; status: string; published_at: Date | null }>(
      'SELECT price, compare_at_price, stock, status, published_at FROM products WHERE id = ?',
      { replacements: [id], type: QueryTypes.SELECT },
    );
    return { ...row, price: Number(row.price), stock: row.stock === null ? null : Number(row.stock), compare_at_price: row.compare_at_price === null ? null : Number(row.compare_at_price) };
  };
  /** The list page's bulk form: its CSRF token and one-time key. */
  const bulkForm = async (url = '/seller/products') => {
    const page = await seller.get(url).expect(200);
    const key = /name="request_key" value="([a-f0-9]{32})"/.exec(page.text)![1];
    return { _csrf: csrfFrom(page.text), request_key: key, html: page.text };
  };
  const post = (form: Record<string, unknown>) => seller.post('/seller/products/bulk').type('form').send(form);
  const edits = async () => Number((await t.platform.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM product_bulk_edits WHERE shop_id = ?', { replacements: [shopId], type: QueryTypes.SELECT }))[0].n);

  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
    const mine = await makeShop(t, { name: 'Bulk Shop' });
    shopId = mine.shop.id;
    const theirs = await makeShop(t, { name: 'Their Shop' });
    otherProductId = (await makeProduct(t, theirs.shop, { title: 'Their mug', price: 1000, stock: 4 })).id;
    seller = t.agent();
    await login(seller, mine.seller.username, mine.password);
  });
  after(async () => t.close());

  it('lists the products with a checkbox each (form="bulk-edit", so it works without script) and filters by title or SKU, status and stock', async () => {
    const { shop } = await makeShop(t, { name: 'List Shop' });
    const { Product } = shopModels();
    void shop;
    const a = await makeProduct(t, (await shopModels().Shop.findByPk(shopId))!, { title: 'Filter lamp', stock: 0 });
    await Product.update({ sku: 'LAMP-7' }, { where: { id: a.id } });
    const b = await makeProduct(t, (await shopModels().Shop.findByPk(shopId))!, { title: 'Filter vase', stock: 50, status: 'draft' });
    const { html } = await bulkForm();
    expect(html).to.contain(`name="ids" value="${a.id}" form="bulk-edit"`);
    expect(html).to.contain('<form method="post" action="/seller/products/bulk" id="bulk-edit"');
    expect(html).to.not.contain('Their mug');
    const bySku = (await seller.get('/seller/products?q=lamp-7').expect(200)).text;
    expect(bySku).to.contain('Filter lamp').and.not.contain('Filter vase');
    const out = (await seller.get('/seller/products?stock=out').expect(200)).text;
    expect(out).to.contain('Filter lamp').and.not.contain('Filter vase');
    const drafts = (await seller.get('/seller/products?status=draft').expect(200)).text;
    expect(drafts).to.contain('Filter vase').and.not.contain('Filter lamp');
    await Product.destroy({ where: { id: [a.id, b.id] } });
  });

  it('raises prices by a percentage and adds stock to the ticked products in one go, records the edit, and leaves the rest alone', async () => {
    const shop = (await shopModels().Shop.findByPk(shopId))!;
    const a = await makeProduct(t, shop, { title: 'Tea cup', price: 999, stock: 3 });
    const b = await makeProduct(t, shop, { title: 'Tea pot', price: 2500, stock: null });
    const c = await makeProduct(t, shop, { title: 'Untouched saucer', price: 500, stock: 1 });
    const form = await bulkForm();
    const res = await post({ _csrf: form._csrf, request_key: form.request_key, ids: [String(a.id), String(b.id)], price_op: 'increase_percent', price_value: '10', stock_op: 'add', stock_value: '5' });
    expect(res.status).to.equal(303);
    const page = await seller.get(res.headers.location as string).expect(200);
    expect(page.text).to.contain('2 products were changed.').and.contain('1 with unlimited stock kept it unlimited.');
    // 999 × 1.10 = 1098.9 → 1099 (half up, per product); unlimited stays unlimited.
    expect(await productRow(a.id)).to.include({ price: 1099, stock: 8 });
    expect(await productRow(b.id)).to.include({ price: 2750, stock: null });
    expect(await productRow(c.id)).to.include({ price: 500, stock: 1 });
    const [record] = await t.platform.sequelize.query<{ product_count: number; summary: string; user_id: number }>('SELECT product_count, summary, user_id FROM product_bulk_edits WHERE request_key = ?', { replacements: [form.request_key], type: QueryTypes.SELECT });
    expect(Number(record.product_count)).to.equal(2);
    expect(JSON.parse(record.summary)).to.deep.include({ price: { op: 'increase_percent', amount: 1000 }, stock: { op: 'add', amount: 5 } });
  });

  it('refuses the whole edit with a message per product when one result would be negative, on the same page, changing nothing', async () => {
    const shop = (await shopModels().Shop.findByPk(shopId))!;
    const cheap = await makeProduct(t, shop, { title: 'Cheap spoon', price: 300, stock: 2 });
    const dear = await makeProduct(t, shop, { title: 'Dear spoon', price: 3000, stock: 2 });
    const before = await edits();
    const form = await bulkForm();
    const res = await post({ _csrf: form._csrf, request_key: form.request_key, ids: [String(cheap.id), String(dear.id)], price_op: 'decrease_amount', price_value: '5.00', stock_op: 'remove', stock_value: '1' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Nothing was changed:');
    expect(res.text).to.contain('Cheap spoon: the price would be');
    expect(res.text).to.not.contain('Dear spoon: the price');
    // The ticked boxes and typed values are kept, and the same key is offered again.
    expect(res.text).to.contain(`value="${cheap.id}" form="bulk-edit" id="select-${cheap.id}" checked`);
    expect(res.text).to.contain(`name="request_key" value="${form.request_key}"`);
    expect(await productRow(cheap.id)).to.include({ price: 300, stock: 2 });
    expect(await productRow(dear.id)).to.include({ price: 3000, stock: 2 });
    expect(await edits()).to.equal(before);

    const below = await post({ _csrf: form._csrf, request_key: form.request_key, ids: [String(cheap.id)], stock_op: 'remove', stock_value: '3' });
    expect(below.status).to.equal(422);
    expect(below.text).to.contain('Cheap spoon: the stock would be -1; it cannot go below zero');
    expect(await productRow(cheap.id)).to.include({ stock: 2 });
  });

  it('answers 422 beside the field for a value that is not one, and for no product or no change chosen', async () => {
    const shop = (await shopModels().Shop.findByPk(shopId))!;
    const p = await makeProduct(t, shop, { title: 'Bad value mug', price: 1000 });
    const form = await bulkForm();
    const bad = await post({ _csrf: form._csrf, request_key: form.request_key, ids: String(p.id), price_op: 'set', price_value: 'ten euros' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Enter a price like 12.50');
    const percent = await post({ _csrf: form._csrf, request_key: form.request_key, ids: String(p.id), price_op: 'decrease_percent', price_value: '150' });
    expect(percent.status).to.equal(422);
    expect(percent.text).to.contain('Enter a percentage above 0 and at most 99');
    const none = await post({ _csrf: form._csrf, request_key: form.request_key, price_op: 'set', price_value: '5' });
    expect(none.status).to.equal(422);
    expect(none.text).to.contain('Select at least one product');
    const nothing = await post({ _csrf: form._csrf, request_key: form.request_key, ids: String(p.id) });
    expect(nothing.status).to.equal(422);
    expect(nothing.text).to.contain('Choose a change to make');
    expect(await productRow(p.id)).to.include({ price: 1000 });
  });

  it('never touches another shop’s product, even with its id forged into the form: the whole edit is refused', async () => {
    const shop = (await shopModels().Shop.findByPk(shopId))!;
    const mine = await makeProduct(t, shop, { title: 'My plate', price: 1000, stock: 1 });
    const form = await bulkForm();
    const res = await post({ _csrf: form._csrf, request_key: form.request_key, ids: [String(mine.id), String(otherProductId)], price_op: 'set', price_value: '1.00', status: 'draft' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('1 of the selected products is not in your shop');
    expect(await productRow(otherProductId)).to.include({ price: 1000, status: 'published' });
    expect(await productRow(mine.id)).to.include({ price: 1000, status: 'published' });
  });

  it('applies a double-clicked form once: two identical requests at once, one change', async () => {
    const shop = (await shopModels().Shop.findByPk(shopId))!;
    const p = await makeProduct(t, shop, { title: 'Double click bowl', price: 1000, stock: 10 });
    const form = await bulkForm();
    const body = { _csrf: form._csrf, request_key: form.request_key, ids: String(p.id), stock_op: 'add', stock_value: '5', price_op: 'increase_amount', price_value: '1.00' };
    const answers = await Promise.all([post(body), post(body), post(body)]);
    expect(answers.map((a) => a.status)).to.deep.equal([303, 303, 303]);
    expect(await productRow(p.id)).to.include({ stock: 15, price: 1100 });
    const [{ n }] = await t.platform.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM product_bulk_edits WHERE request_key = ?', { replacements: [form.request_key], type: QueryTypes.SELECT });
    expect(Number(n)).to.equal(1);
    const page = await seller.get('/seller/products').expect(200);
    expect(page.text).to.match(/1 product was changed\.|already applied/);
  });

  it('fires the hooks single edits fire, after the commit: restocked (0 → n, via bulk), discounted, published the first time', async () => {
    const shop = (await shopModels().Shop.findByPk(shopId))!;
    const soldOut = await makeProduct(t, shop, { title: 'Sold out jug', price: 2000, stock: 0 });
    const draft = await makeProduct(t, shop, { title: 'Never live jug', price: 2000, stock: 3, status: 'draft' });
    const seen: string[] = [];
    const off = [
      t.platform.hooks.on('test', 'shops.product.restocked', async (product, { via }) => {
        // After the commit: another connection reads the new stock.
        const row = await productRow(product.id);
        seen.push(`restocked:${product.title}:${via}:${row.stock}`);
      }),
      t.platform.hooks.on('test', 'shops.product.discounted', (product, previous) => void seen.push(`discounted:${product.title}:${previous}->${product.price}`)),
      t.platform.hooks.on('test', 'shops.product.published', (product) => void seen.push(`published:${product.title}`)),
    ];
    try {
      const form = await bulkForm();
      const res = await post({ _csrf: form._csrf, request_key: form.request_key, ids: [String(soldOut.id), String(draft.id)], stock_op: 'set', stock_value: '7', compare_op: 'from_price', price_op: 'decrease_percent', price_value: '25', status: 'published' });
      expect(res.status).to.equal(303);
    } finally {
      for (const d of off) d();
    }
    expect(seen).to.include('restocked:Sold out jug:bulk:7');
    expect(seen).to.include('discounted:Sold out jug:2000->1500');
    expect(seen).to.include('published:Never live jug');
    expect(seen.filter((s) => s.startsWith('restocked:Never live jug'))).to.deep.equal([]);
    expect(await productRow(soldOut.id)).to.include({ price: 1500, compare_at_price: 2000, stock: 7 });
    expect(await productRow(draft.id)).to.include({ status: 'published' });
    expect((await productRow(draft.id)).published_at).to.not.equal(null);
  });

  it('changes a product’s variants too: stock per enabled variant (the product has their sum), prices of variants with their own', async () => {
    const { Shop, ProductVariant, Product } = shopModels();
    const shop = (await Shop.findByPk(shopId))!;
    const p = await makeProduct(t, shop, { title: 'Knit scarf', price: 3000, stock: 0 });
    const own = await ProductVariant.create({ product_id: p.id, shop_id: shop.id, combination: '1', sku: 'SCARF-S', price: 3200, compare_at_price: null, stock: 0, image_id: null, enabled: true, position: 0 });
    const follows = await ProductVariant.create({ product_id: p.id, shop_id: shop.id, combination: '2', sku: 'SCARF-M', price: null, compare_at_price: null, stock: 2, image_id: null, enabled: true, position: 1 });
    const off = await ProductVariant.create({ product_id: p.id, shop_id: shop.id, combination: '3', sku: 'SCARF-L', price: null, compare_at_price: null, stock: 0, image_id: null, enabled: false, position: 2 });
    await Product.update({ variant_count: 2, stock: 2 }, { where: { id: p.id } });
    const form = await bulkForm();
    const res = await post({ _csrf: form._csrf, request_key: form.request_key, ids: String(p.id), stock_op: 'add', stock_value: '3', price_op: 'increase_percent', price_value: '50' });
    expect(res.status).to.equal(303);
    await own.reload();
    await follows.reload();
    await off.reload();
    expect([own.stock, follows.stock, off.stock]).to.deep.equal([3, 5, 0]);
    expect([own.price, follows.price]).to.deep.equal([4800, null]);
    const row = await productRow(p.id);
    expect(row).to.include({ price: 4500, stock: 8 });

    const form2 = await bulkForm();
    const refused = await post({ _csrf: form2._csrf, request_key: form2.request_key, ids: String(p.id), stock_op: 'remove', stock_value: '4' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Knit scarf: the stock of its variant SCARF-S would be -1');
    await own.reload();
    expect(own.stock).to.equal(3);
  });
});

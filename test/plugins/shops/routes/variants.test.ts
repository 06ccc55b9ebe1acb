import { expect } from 'chai';
import type supertest from 'supertest';
import { csrfFrom, startTestApp, type TestApp } from '../../../helpers/app';
import { createProduct, sellerWithShop } from '../catalog-helpers';
import { ADDRESS, checkout, checkoutForm, formToken } from '../order-helpers';
import { shopModels } from '../shop-models';

/** Posts a seller form with the page's CSRF token. */
async function postPage(agent: supertest.Agent, pageUrl: string, action: string, body: Record<string, string | string[]>) {
  const token = csrfFrom((await agent.get(pageUrl)).text);
  return agent.post(action).type('form').send({ _csrf: token, ...body });
}

describe('shops: product variants (issue 17)', function () {
  this.timeout(180_000);
  let t: TestApp;
  let seller: Awaited<ReturnType<typeof sellerWithShop>>;
  let productId: number;
  const variantOf = async (label: string) => {
    const { ProductVariant } = shopModels();
    const { describeVariants } = await import('../../../../plugins/shops/services/variant-service');
    const described = await describeVariants(await ProductVariant.findAll({ where: { product_id: productId } }));
    const found = described.find((d) => d.label === label);
    if (!found) throw new Error(`no variant ${label} among ${described.map((d) => d.label).join(' | ')}`);
    return found.variant;
  };

  before(async () => {
    t = await startTestApp();
    seller = await sellerWithShop(t, { shipping: [{ name: 'Post', price: '5.00', free_over: '', countries: '' }] });
  });
  after(async () => t.close());

  it('lets the seller define attributes with ordered values, refusing a blank one and a duplicate name with 422 on the page', async () => {
    const blank = await postPage(seller.agent, '/seller/attributes', '/seller/attributes', { name: '', values: 'S, M' });
    expect(blank.status).to.equal(422);
    expect(blank.text).to.contain('Name the attribute');
    expect(await postPage(seller.agent, '/seller/attributes', '/seller/attributes', { name: 'Size', values: 'S, M, L, m' })).to.have.property('status', 303);
    expect(await postPage(seller.agent, '/seller/attributes', '/seller/attributes', { name: 'Colour', values: 'Blue\nGrey' })).to.have.property('status', 303);
    const dup = await postPage(seller.agent, '/seller/attributes', '/seller/attributes', { name: 'size', values: 'XL' });
    expect(dup.status).to.equal(422);
    expect(dup.text).to.contain('already has an attribute called');
    const { ProductAttribute, ProductAttributeValue } = shopModels();
    const size = (await ProductAttribute.findOne({ where: { shop_id: seller.shop.id, name: 'Size' } }))!;
    const values = await ProductAttributeValue.findAll({ where: { attribute_id: size.id }, order: [['position', 'ASC']] });
    expect(values.map((v) => v.value)).to.deep.equal(['S', 'M', 'L']);
  });

  it('generates one variant per chosen combination and saves each one’s SKU, price, stock in one transaction (422 on a bad cell, nothing written)', async () => {
    const made = await createProduct(seller.agent, { title: 'Fjord Sweater', price: '100.00', stock: '5', status: 'published' });
    expect(made.status).to.equal(303);
    const { Product, ProductAttributeValue, ProductVariant } = shopModels();
    productId = (await Product.findOne({ where: { title: 'Fjord Sweater' } }))!.id;
    const values = await ProductAttributeValue.findAll();
    const pick = values.filter((v) => ['S', 'M', 'Blue', 'Grey'].includes(v.value)).map((v) => String(v.id));
    const page = `/seller/products/${productId}/variants`;
    const gen = await postPage(seller.agent, page, `${page}/generate`, { value_ids: pick });
    expect(gen.status, gen.text.slice(0, 300)).to.equal(303);
    expect(await ProductVariant.count({ where: { product_id: productId } })).to.equal(4);

    const sB = await variantOf('Size: S, Colour: Blue');
    const mB = await variantOf('Size: M, Colour: Blue');
    const sG = await variantOf('Size: S, Colour: Grey');
    const mG = await variantOf('Size: M, Colour: Grey');
    const rows = (v: { id: number }, f: Record<string, string>) => ({ [`variant_${v.id}`]: '1', [`enabled_${v.id}`]: 'on', [`sku_${v.id}`]: '', [`price_${v.id}`]: '', [`compare_at_price_${v.id}`]: '', [`stock_${v.id}`]: '0', [`image_id_${v.id}`]: '', ...Object.fromEntries(Object.entries(f).map(([k, x]) => [`${k}_${v.id}`, x])) });
    const good = { ...rows(sB, { sku: 'SW-S-BL', stock: '1' }), ...rows(mB, { sku: 'SW-M-BL', price: '120.00', stock: '3' }), ...rows(sG, { sku: 'SW-S-GR', stock: '0' }), ...rows(mG, { sku: 'SW-M-GR', stock: '2' }) };

    const bad = await postPage(seller.agent, page, page, { ...good, [`price_${mB.id}`]: 'lots', [`sku_${mG.id}`]: 'SW-M-BL' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Enter a price like 12.50');
    expect((await ProductVariant.findByPk(sB.id))!.sku, 'nothing written').to.equal(null);

    const saved = await postPage(seller.agent, page, page, good);
    expect(saved.status, saved.text.slice(0, 500)).to.equal(303);
    const product = (await Product.findByPk(productId))!;
    expect(product.variant_count).to.equal(4);
    expect(product.stock, 'the sum of the variants').to.equal(6);
    expect(product.price_from, 'prices differ: from the lowest').to.equal(10000);
    expect((await ProductVariant.findByPk(mB.id))!.price).to.equal(12000);
  });

  it('offers the choices on the product page without script; a sold-out one is shown as such and cannot be added', async () => {
    const { Product } = shopModels();
    const product = (await Product.findByPk(productId))!;
    const page = await t.agent().get(`/products/${product.slug}`).expect(200);
    expect(page.text).to.contain('Choose an option');
    expect(page.text).to.contain('From €100.00');
    const sG = await variantOf('Size: S, Colour: Grey');
    expect(page.text).to.match(new RegExp(`value="${sG.id}"[^>]*disabled`));
    expect(page.text).to.contain('Sold out');
    expect(page.text).to.contain('application/ld+json');
    expect(page.text).to.contain('"ProductGroup"');
    expect(page.text).to.contain('/plugins/shops/variant-picker.js');

    const buyer = t.agent();
    const token = await formToken(buyer);
    const soldOut = await buyer.post('/cart/items').type('form').send({ _csrf: token, product_id: String(productId), variant_id: String(sG.id), quantity: '1' });
    expect(soldOut.status).to.equal(422);
    expect(soldOut.text).to.contain('sold out');
    const none = await buyer.post('/cart/items').type('form').send({ _csrf: token, product_id: String(productId), quantity: '1' });
    expect(none.status).to.equal(422);
    expect(none.text).to.contain('Choose an option');

    const mB = await variantOf('Size: M, Colour: Blue');
    const added = await buyer.post('/cart/items').type('form').send({ _csrf: token, product_id: String(productId), variant_id: String(mB.id), quantity: '2' });
    expect(added.status).to.equal(303);
    const cart = await buyer.get('/cart').expect(200);
    expect(cart.text).to.contain('Size: M, Colour: Blue');
    expect(cart.text).to.contain('SW-M-BL');
    expect(cart.text).to.contain('€240.00');

    const placed = await checkout(buyer);
    expect(placed.status, placed.text.slice(0, 400)).to.equal(303);
    const { OrderItem, ProductVariant } = shopModels();
    const item = (await OrderItem.findOne({ where: { variant_id: mB.id } }))!;
    expect(item.sku).to.equal('SW-M-BL');
    expect(item.options_text).to.equal('Size: M, Colour: Blue');
    expect(item.unit_price).to.equal(12000);
    expect((await ProductVariant.findByPk(mB.id))!.stock).to.equal(1);
    expect((await Product.findByPk(productId))!.stock).to.equal(4);
    const { Order } = shopModels();
    const order = (await Order.findByPk(item.order_id))!;
    const orderPage = await seller.agent.get(`/seller/orders/${order.number}`).expect(200);
    expect(orderPage.text).to.contain('Size: M, Colour: Blue').and.contain('SW-M-BL');
  });

  it('gives the last unit of one variant to exactly one of several racing buyers, leaving the other variant untouched', async () => {
    const { CheckoutGroup, OrderItem, Product, ProductVariant } = shopModels();
    const last = await variantOf('Size: S, Colour: Blue');
    const other = await variantOf('Size: M, Colour: Grey');
    const otherBefore = (await ProductVariant.findByPk(other.id))!.stock;
    const productBefore = (await Product.findByPk(productId))!.stock!;
    const groupsBefore = await CheckoutGroup.count();
    const buyers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const agent = t.agent();
        const token = await formToken(agent);
        const r = await agent.post('/cart/items').type('form').send({ _csrf: token, product_id: String(productId), variant_id: String(last.id), quantity: '1' });
        if (r.status !== 303) throw new Error(`add answered ${r.status}`);
        return { agent, form: await checkoutForm(agent) };
      }),
    );
    const results = await Promise.all(buyers.map((b, i) => b.agent.post('/checkout').type('form').send({ ...b.form, ...ADDRESS, email: `racer${i}@example.test`, phone: '', gateway: 'manual' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).to.deep.equal([303, 422, 422, 422, 422, 422]);
    expect(results.find((r) => r.status === 422)!.text).to.contain('just sold out');
    expect(await OrderItem.count({ where: { variant_id: last.id } })).to.equal(1);
    expect((await ProductVariant.findByPk(last.id))!.stock).to.equal(0);
    expect((await ProductVariant.findByPk(other.id))!.stock, 'the other variant').to.equal(otherBefore);
    expect((await Product.findByPk(productId))!.stock).to.equal(productBefore - 1);
    expect(await CheckoutGroup.count()).to.equal(groupsBefore + 1);
  });

  it('gives a cancelled order’s units back to its variant', async () => {
    const { Order, OrderItem, ProductVariant } = shopModels();
    const { moveOrder } = await import('../../../../plugins/shops/services/order-state');
    const last = await variantOf('Size: S, Colour: Blue');
    const item = (await OrderItem.findOne({ where: { variant_id: last.id } }))!;
    const order = (await Order.findByPk(item.order_id))!;
    await moveOrder({ hooks: t.platform.hooks }, order, 'cancelled', { note: 'test' });
    expect((await ProductVariant.findByPk(last.id))!.stock).to.equal(1);
  });

  it('filters the catalog by an attribute value and shows "from" on the card', async () => {
    const other = await createProduct(seller.agent, { title: 'Plain Scarf', price: '30.00', stock: '5', status: 'published' });
    expect(other.status).to.equal(303);
    const all = await t.agent().get('/products').expect(200);
    expect(all.text).to.contain('Fjord Sweater').and.contain('Plain Scarf');
    expect(all.text).to.match(/[Ff]rom €100\.00/);
    const sizeM = await t.agent().get('/products?option=size:m').expect(200);
    expect(sizeM.text).to.contain('Fjord Sweater');
    expect(sizeM.text).to.not.contain('Plain Scarf');
    const sizeXl = await t.agent().get('/products?option=size:xl').expect(200);
    expect(sizeXl.text).to.not.contain('Fjord Sweater');
  });
});

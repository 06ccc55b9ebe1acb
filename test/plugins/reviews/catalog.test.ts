import { expect } from 'chai';
import type supertest from 'supertest';
import { loginAsAdmin, startTestApp, type TestApp } from '../../helpers/app';
import { createUser, makeProduct, makeShop, moderate, reviewModels, shopModels } from './helpers';

let item = 500_000;

describe('reviews in the catalog: stars on cards, "4 stars and up", "best rated" (the rating kept on the product)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: supertest.Agent;

  /** Pending reviews written straight to the table (who may write one is tested in review-flow), approved through the queue. */
  async function rate(product: { id: number; shop_id: number }, ratings: number[]) {
    const { Review } = reviewModels();
    const { user } = await createUser();
    const ids: string[] = [];
    for (const rating of ratings) {
      const r = await Review.create({ product_id: product.id, shop_id: product.shop_id, order_id: 1, order_item_id: ++item, user_id: user.id, rating, title: `Rated ${rating}`, body: 'Written for the catalog test.' });
      ids.push(String(r.id));
    }
    expect((await moderate(admin, { action: 'approve', ids })).status).to.equal(303);
  }

  before(async () => {
    // With the demo store, whose buyer's reviews this plugin writes (core.demo.seeded).
    t = await startTestApp({ plugins: ['shops', 'reviews'], env: { DEMO_SEED: '1' } });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  it('seeds the demo store with the demo buyer’s reviews: two published, one in the queue', async () => {
    const { Review } = reviewModels();
    const reviews = await Review.findAll({ order: [['id', 'ASC']] });
    expect(reviews.map((r) => r.status)).to.deep.equal(['approved', 'approved', 'pending']);
    const { Product } = shopModels();
    const product = (await Product.findByPk(reviews[0].product_id))!;
    expect(product.rating_count).to.equal(1);
    const page = await t.agent().get(`/products/${product.slug}`);
    expect(page.text).to.contain('Exactly as pictured');
    expect(page.text).to.contain('Amara Okafor');
    expect((await admin.get('/admin/reviews')).text).to.contain('Good, but smaller than expected');
  });

  it('keeps the average and count on the product, filters by it and sorts by it', async () => {
    const { shop } = await makeShop(t, { name: 'Rated Shop' });
    const great = await makeProduct(t, shop, { title: 'Great Teapot' });
    const good = await makeProduct(t, shop, { title: 'Good Teapot' });
    const poor = await makeProduct(t, shop, { title: 'Poor Teapot' });
    await makeProduct(t, shop, { title: 'Unrated Teapot' });
    await rate(great, [5, 5, 4]);
    await rate(good, [4, 4]);
    await rate(poor, [2, 3]);

    const { Product } = shopModels();
    const stored = await Product.findByPk(great.id);
    expect([stored?.rating_avg, stored?.rating_count]).to.deep.equal([467, 3]);

    const filtered = await t.agent().get('/products?q=teapot&rating=4');
    expect(filtered.text).to.contain('Great Teapot');
    expect(filtered.text).to.contain('Good Teapot');
    expect(filtered.text).not.to.contain('Poor Teapot');
    expect(filtered.text).not.to.contain('Unrated Teapot');
    expect(filtered.text).to.contain('Rated 4.7 out of 5 (3 reviews)');

    const sorted = await t.agent().get('/products?q=teapot&sort=rating');
    const order = ['Great Teapot', 'Good Teapot', 'Poor Teapot', 'Unrated Teapot'].map((title) => sorted.text.indexOf(title));
    expect(order.every((i) => i > 0)).to.equal(true);
    expect([...order].sort((a, b) => a - b)).to.deep.equal(order);

    // Taking a review down takes it out of the product's rating at once.
    const { Review } = reviewModels();
    const low = await Review.findOne({ where: { product_id: great.id, rating: 4 } });
    expect((await moderate(admin, { action: 'spam' }, `?only=${low!.id}`)).status).to.equal(303);
    await stored!.reload();
    expect([stored!.rating_avg, stored!.rating_count]).to.deep.equal([500, 2]);
  });
});

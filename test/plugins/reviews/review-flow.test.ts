import { expect } from 'chai';
import type supertest from 'supertest';
import { login, loginAsAdmin, startTestApp, type TestApp } from '../../helpers/app';
import { GOOD_REVIEW, buyer, createUser, latestReviewOf, makeProduct, makeShop, moderate, postReview, reviewModels, sellerAgent, type ShopFixture } from './helpers';

describe('reviews: writing, moderating and showing a review', function () {
  this.timeout(60_000);
  let t: TestApp;
  let shop: ShopFixture;
  let seller: supertest.Agent;
  let admin: supertest.Agent;

  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'reviews'], smtp: true });
    shop = await makeShop(t, { name: 'Mug Shop' });
    seller = await sellerAgent(t, shop);
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  it('refuses a reviewer who did not buy the product (403, nothing written)', async () => {
    const product = await makeProduct(t, shop.shop, { title: 'Unbought Mug' });
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.username, password);
    const page = await agent.get(`/reviews/new?product=${product.id}`);
    expect(page.status).to.equal(403);
    expect(page.text).to.contain('Only buyers of this product can review it');
    const { Review } = reviewModels();
    expect(await Review.count({ where: { product_id: product.id } })).to.equal(0);
  });

  it('keeps a new review pending: invisible to the public and others, shown to its author as awaiting moderation', async () => {
    const product = await makeProduct(t, shop.shop, { title: 'Pending Mug' });
    const b = await buyer(t, seller, [product.id], { display_name: 'Penny Buyer' });
    const res = await postReview(b.agent, product.id, GOOD_REVIEW);
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    const review = await latestReviewOf(b.user.id);
    expect([review.status, review.verified, review.order_item_id > 0]).to.deep.equal(['pending', true, true]);

    const guest = await t.agent().get(`/products/${product.slug}`);
    expect(guest.text).not.to.contain('Lovely mug');
    expect(guest.text).to.contain('No reviews yet');
    const { user: other, password } = await createUser();
    const otherAgent = t.agent();
    await login(otherAgent, other.username, password);
    expect((await otherAgent.get(`/products/${product.slug}`)).text).not.to.contain('Lovely mug');
    const own = await b.agent.get(`/products/${product.slug}`);
    expect(own.text).to.contain('Lovely mug');
    expect(own.text).to.contain('awaiting moderation');
  });

  it('approve publishes it, updates the average and emails the author', async () => {
    const product = await makeProduct(t, shop.shop, { title: 'Approved Mug' });
    const one = await buyer(t, seller, [product.id], { display_name: 'Ann Approve' });
    const two = await buyer(t, seller, [product.id], { display_name: 'Bob Approve' });
    expect((await postReview(one.agent, product.id, { ...GOOD_REVIEW, rating: '5' })).status).to.equal(303);
    expect((await postReview(two.agent, product.id, { ...GOOD_REVIEW, rating: '2', title: 'Chipped on arrival' })).status).to.equal(303);
    const r1 = await latestReviewOf(one.user.id);
    const r2 = await latestReviewOf(two.user.id);

    const queue = await admin.get('/admin/reviews');
    expect(queue.status).to.equal(200);
    expect(queue.text).to.contain('Chipped on arrival');
    expect(queue.text).to.contain('Approved Mug');

    const res = await moderate(admin, { action: 'approve', ids: [String(r1.id), String(r2.id)] });
    expect(res.status, res.text.slice(0, 400)).to.equal(303);
    const page = await t.agent().get(`/products/${product.slug}`);
    expect(page.text).to.contain('Lovely mug');
    expect(page.text).to.contain('Chipped on arrival');
    expect(page.text).to.contain('Ann Approve');
    expect(page.text).to.contain('Verified purchase');
    expect(page.text).to.match(/3\.5 · 2 reviews/);
    const { ProductRating } = reviewModels();
    const rating = await ProductRating.findByPk(product.id);
    expect([rating?.review_count, rating?.star_total, rating?.star_5, rating?.star_2]).to.deep.equal([2, 7, 1, 1]);

    const mail = await t.smtp!.waitFor(one.user.email, /is published/);
    expect(mail.text).to.contain('Approved Mug');
    // The shop's rating shows on the shop page and on the product's seller card.
    expect((await t.agent().get(`/shops/${shop.shop.slug}`)).text).to.contain('Shop rated');
    expect(page.text).to.contain('Shop rated');
  });

  it('reject emails the reason to the author and keeps the review off the page', async () => {
    const product = await makeProduct(t, shop.shop, { title: 'Rejected Mug' });
    const b = await buyer(t, seller, [product.id]);
    await postReview(b.agent, product.id, { ...GOOD_REVIEW, title: 'Meh mug' });
    const review = await latestReviewOf(b.user.id);
    const missing = await moderate(admin, { action: 'reject', reason: '' }, `?only=${review.id}`);
    expect(missing.status).to.equal(422);
    expect(missing.text).to.contain('Say why the review is rejected');
    const res = await moderate(admin, { action: 'reject', [`reason_${review.id}`]: 'Please describe the product, not the delivery.' }, `?only=${review.id}`);
    expect(res.status).to.equal(303);
    await review.reload();
    expect([review.status, review.reject_reason]).to.deep.equal(['rejected', 'Please describe the product, not the delivery.']);
    const mail = await t.smtp!.waitFor(b.user.email, /was not published/);
    expect(mail.text).to.contain('Please describe the product, not the delivery.');
    expect((await t.agent().get(`/products/${product.slug}`)).text).not.to.contain('Meh mug');
  });

  it('a customer or seller without reviews.moderate gets 403 at /admin/reviews; a moderator gets the queue', async () => {
    expect((await seller.get('/admin/reviews')).status).to.equal(403);
    const { user, password } = await createUser({ role: 'moderator' });
    const mod = t.agent();
    await login(mod, user.username, password);
    expect((await mod.get('/admin/reviews')).status).to.equal(200);
    expect((await moderate(seller, { action: 'approve', ids: '1' })).status).to.equal(403);
  });
});

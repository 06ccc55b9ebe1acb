import { expect } from 'chai';
import type supertest from 'supertest';
import { csrfFrom, login, loginAsAdmin, startTestApp, type TestApp } from '../../helpers/app';
import { User } from '../../../core/index';
import { GOOD_REVIEW, buyer, createUser, latestReviewOf, makeProduct, makeShop, moderate, pngImage, postReview, reviewModels, sellerAgent, type ShopFixture } from './helpers';

describe('reviews: writing, moderating and showing a review; the author’s export and erasure', function () {
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

  it('exports reviews, reports and votes; erasing cuts the author, deletes photos and what was never published', async () => {
    const kept = await makeProduct(t, shop.shop, { title: 'Kept Lamp' });
    const other = await makeProduct(t, shop.shop, { title: 'Pending Lamp' });
    const b = await buyer(t, seller, [kept.id, other.id], { display_name: 'Erin Erased' });
    expect((await postReview(b.agent, kept.id, { ...GOOD_REVIEW, title: 'Bright and warm' }, [await pngImage()])).status).to.equal(303);
    const published = await latestReviewOf(b.user.id);
    await moderate(admin, { action: 'approve' }, `?only=${published.id}`);
    expect((await postReview(b.agent, other.id, { ...GOOD_REVIEW, title: 'Never moderated' })).status).to.equal(303);
    const pending = await latestReviewOf(b.user.id);
    const { ReviewPhoto, Review, ReviewVote, ProductRating } = reviewModels();
    const photo = (await ReviewPhoto.findOne({ where: { review_id: published.id } }))!;
    // The person also found someone else's review helpful.
    const author = await buyer(t, seller, [kept.id], { display_name: 'Olga Other' });
    await postReview(author.agent, kept.id, { ...GOOD_REVIEW, title: 'Another view' });
    const others = await latestReviewOf(author.user.id);
    await moderate(admin, { action: 'approve' }, `?only=${others.id}`);
    const token = csrfFrom((await b.agent.get('/account')).text);
    expect((await b.agent.post(`/reviews/${others.id}/helpful`).type('form').send({ _csrf: token })).status).to.equal(303);

    const exported = await t.platform.privacy.exportPerson({ email: b.user.email, userId: b.user.id });
    const text = JSON.stringify(exported);
    expect(text).to.contain('Bright and warm');
    expect(text).to.contain('Never moderated');
    expect(text).to.contain('Reviews you found helpful');

    // The person closes their account, as on /account/close.
    const page = await b.agent.get('/account/close');
    const closed = await b.agent.post('/account/close').type('form').send({ _csrf: csrfFrom(page.text), password: b.password, confirm: 'on' });
    expect(closed.status, closed.text.slice(0, 300)).to.equal(200);
    expect(await User.findByPk(b.user.id)).to.equal(null);

    await published.reload();
    expect([published.user_id, published.status, published.title, published.photo_count]).to.deep.equal([null, 'approved', 'Bright and warm', 0]);
    expect(published.anonymized_at).to.be.instanceOf(Date);
    expect(await Review.findByPk(pending.id)).to.equal(null);
    expect(await ReviewPhoto.count({ where: { review_id: published.id } })).to.equal(0);
    expect(await t.platform.files.forOwner('reviews').private.info(photo.file_id)).to.equal(undefined);
    expect(await ReviewVote.count({ where: { review_id: others.id } })).to.equal(0);
    await others.reload();
    expect(others.helpful_count).to.equal(0);
    // The rating still counts it, and the page shows it without the name.
    expect((await ProductRating.findByPk(kept.id))?.review_count).to.equal(2);
    const productPage = await t.agent().get(`/products/${kept.slug}`);
    expect(productPage.text).to.contain('Bright and warm');
    expect(productPage.text).to.contain('A former customer');
    expect(productPage.text).not.to.contain('Erin Erased');
  });
});

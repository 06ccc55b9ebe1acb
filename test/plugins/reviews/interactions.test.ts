import { expect } from 'chai';
import type supertest from 'supertest';
import { z } from 'zod';
import { csrfFrom, loginAsAdmin, startTestApp, type TestApp } from '../../helpers/app';
import { fragment } from '../../../core/index';
import { setOrderStatus } from './helpers';
import { GOOD_REVIEW, accountToken, buyer, customer, latestReviewOf, makeProduct, makeShop, moderate, pngImage, postReview, reviewModels, sellerAgent, type ShopFixture } from './helpers';

describe('reviews: photos, votes, reports, seller replies, sellers kept out, links to write one, the form section', function () {
  this.timeout(90_000);
  let t: TestApp;
  let shop: ShopFixture;
  let seller: supertest.Agent;
  let admin: supertest.Agent;
  /** One buyer of every product below, in one order (each test reviews its own product). */
  let b: Awaited<ReturnType<typeof buyer>>;
  const products: Record<string, Awaited<ReturnType<typeof makeProduct>>> = {};

  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'reviews'], smtp: true });
    shop = await makeShop(t, { name: 'Photo Shop' });
    seller = await sellerAgent(t, shop);
    admin = t.agent();
    await loginAsAdmin(admin);
    for (const [key, title] of Object.entries({ photo: 'Photo Vase', text: 'Text Vase', vote: 'Vote Vase', report: 'Report Vase', reply: 'Reply Vase', linked: 'Linked Vase', section: 'Section Vase', edit: 'Edit Vase' })) {
      products[key] = await makeProduct(t, shop.shop, { title });
    }
    b = await buyer(t, seller, Object.values(products).map((p) => p.id));
  });
  after(async () => t.close());

  it('keeps photos private until the review is approved, then shows them to everyone', async () => {
    const product = products.photo;
    const res = await postReview(b.agent, product.id, GOOD_REVIEW, [await pngImage('#aa3300'), await pngImage('#0033aa')]);
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const review = await latestReviewOf(b.user.id);
    const { ReviewPhoto } = reviewModels();
    const photos = await ReviewPhoto.findAll({ where: { review_id: review.id } });
    expect([photos.length, review.photo_count]).to.deep.equal([2, 2]);
    const url = `/reviews/photos/${photos[0].id}`;
    expect((await t.agent().get(url)).status, 'a stranger').to.equal(404);
    const own = await b.agent.get(`${url}/thumb`);
    expect([own.status, own.headers['content-type']]).to.deep.equal([200, 'image/webp']);
    expect((await admin.get(url)).status, 'a moderator').to.equal(200);
    expect((await admin.get('/admin/reviews')).text).to.contain(`/reviews/photos/${photos[0].id}/thumb`);

    expect((await moderate(admin, { action: 'approve' }, `?only=${review.id}`)).status).to.equal(303);
    expect((await t.agent().get(url)).status).to.equal(200);
    const sorted = await t.agent().get(`/products/${product.slug}?reviews_sort=photos`);
    expect(sorted.text).to.contain(`/reviews/photos/${photos[1].id}/thumb`);
  });

  it('refuses a file that is not an image with a message beside the field (422), and writes nothing', async () => {
    const product = products.text;
    const res = await postReview(b.agent, product.id, GOOD_REVIEW, [Buffer.from('not an image at all')]);
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/image/i);
    expect(res.text).to.contain('Keeps the tea warm');
    const { Review } = reviewModels();
    expect(await Review.count({ where: { product_id: product.id } })).to.equal(0);
  });

  it('counts a helpful vote once per person (also for two clicks at once), and never the author’s own', async () => {
    const product = products.vote;
    await postReview(b.agent, product.id, GOOD_REVIEW);
    const review = await latestReviewOf(b.user.id);
    await moderate(admin, { action: 'approve' }, `?only=${review.id}`);
    const voter = await customer(t);
    const token = await accountToken(voter.agent);
    const votes = await Promise.all([1, 2].map(() => voter.agent.post(`/reviews/${review.id}/helpful`).type('form').send({ _csrf: token })));
    expect(votes.map((v) => v.status)).to.deep.equal([303, 303]);
    const own = await b.agent.post(`/reviews/${review.id}/helpful`).type('form').send({ _csrf: await accountToken(b.agent) });
    expect(own.status).to.equal(303);
    await review.reload();
    expect(review.helpful_count).to.equal(1);
    expect((await t.agent().get(`/products/${product.slug}`)).text).to.contain('1 found this helpful');
  });

  it('puts a reported review in the queue; keeping it dismisses the reports', async () => {
    const product = products.report;
    await postReview(b.agent, product.id, { ...GOOD_REVIEW, title: 'Reported one' });
    const review = await latestReviewOf(b.user.id);
    await moderate(admin, { action: 'approve' }, `?only=${review.id}`);
    const reporter = await customer(t);
    const form = await reporter.agent.get(`/reviews/${review.id}/report`);
    expect(form.status).to.equal(200);
    const bad = await reporter.agent.post(`/reviews/${review.id}/report`).type('form').send({ _csrf: csrfFrom(form.text), reason: 'nonsense' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Choose why you report this review');
    const ok = await reporter.agent.post(`/reviews/${review.id}/report`).type('form').send({ _csrf: csrfFrom(form.text), reason: 'fake', note: 'Same text on five products' });
    expect(ok.status).to.equal(303);
    expect((await t.agent().post(`/reviews/${review.id}/report`).type('form').send({ reason: 'fake' })).status, 'a guest').to.equal(403);

    const queue = await admin.get('/admin/reviews?tab=reported');
    expect(queue.text).to.contain('Reported one');
    expect(queue.text).to.contain('Same text on five products');
    expect((await moderate(admin, { action: 'keep' }, `?tab=reported&only=${review.id}`)).status).to.equal(303);
    await review.reload();
    expect([review.status, review.report_count]).to.deep.equal(['approved', 0]);
    expect((await admin.get('/admin/reviews?tab=reported')).text).not.to.contain('Reported one');
  });

  it('lets the shop post one public reply per review, shown once a moderator approves it', async () => {
    const product = products.reply;
    await postReview(b.agent, product.id, GOOD_REVIEW);
    const review = await latestReviewOf(b.user.id);
    await moderate(admin, { action: 'approve' }, `?only=${review.id}`);
    expect((await b.agent.get(`/reviews/${review.id}/reply`)).status, 'not the shop').to.equal(403);
    const page = await seller.get(`/reviews/${review.id}/reply`);
    expect(page.status).to.equal(200);
    const sent = await seller.post(`/reviews/${review.id}/reply`).type('form').send({ _csrf: csrfFrom(page.text), body: 'Thank you, enjoy your tea!' });
    expect(sent.status).to.equal(303);
    const again = await seller.post(`/reviews/${review.id}/reply`).type('form').send({ _csrf: csrfFrom(page.text), body: 'Thank you so much, enjoy your tea!' });
    expect(again.status).to.equal(303);
    const { ReviewReply } = reviewModels();
    const replies = await ReviewReply.findAll({ where: { review_id: review.id } });
    expect(replies.map((r) => [r.status, r.body])).to.deep.equal([['pending', 'Thank you so much, enjoy your tea!']]);
    expect((await t.agent().get(`/products/${product.slug}`)).text).not.to.contain('enjoy your tea');
    const token = await accountToken(admin);
    expect((await admin.post(`/admin/reviews/replies/${replies[0].id}`).type('form').send({ _csrf: token, action: 'approve' })).status).to.equal(303);
    const shown = await t.agent().get(`/products/${product.slug}`);
    expect(shown.text).to.contain('Reply from the shop');
    expect(shown.text).to.contain('Thank you so much, enjoy your tea!');
    await t.smtp!.waitFor(shop.seller.email, /reply about Reply Vase is published/);
  });

  it('keeps sellers from reviewing their own shop, also from a second account at the same mailbox', async () => {
    const product = await makeProduct(t, shop.shop, { title: 'Own Vase' });
    const [local, domain] = shop.seller.email.split('@');
    const second = await buyer(t, seller, [product.id], { email: `${local.toUpperCase()}+alt@${domain}` });
    const res = await second.agent.get(`/reviews/new?product=${product.id}`);
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('You cannot review the products of a shop you run');
    expect((await postReview(second.agent, product.id, GOOD_REVIEW).catch(() => undefined))?.status ?? 403).to.equal(403);
  });

  it('links to the review form from the buyer’s order page and from the order-completed email', async () => {
    const product = products.linked;
    const orderPage = await b.agent.get(`/account/orders/${b.order.number}`);
    expect(orderPage.text).to.contain(`/reviews/new?product=${product.id}&amp;item=`);
    await setOrderStatus(seller, b.order.number, 'shipped');
    await setOrderStatus(seller, b.order.number, 'completed');
    const mail = await t.smtp!.waitFor(b.user.email, /completed/i);
    expect(mail.html).to.contain(`http://agora.test/reviews/new?product=${product.id}&amp;item=`);
    expect(mail.text).to.contain('Write a review');
    expect((await postReview(b.agent, product.id, GOOD_REVIEW)).status).to.equal(303);
    expect((await b.agent.get(`/account/orders/${b.order.number}`)).text).to.contain('Awaiting moderation');
    expect((await b.agent.get('/account/reviews')).text).to.contain('Linked Vase');
  });

  it('sends an edited review back to the queue: off the page and out of the rating until approved again', async () => {
    const product = products.edit;
    await postReview(b.agent, product.id, { ...GOOD_REVIEW, rating: '5', title: 'First take' });
    const review = await latestReviewOf(b.user.id);
    await moderate(admin, { action: 'approve' }, `?only=${review.id}`);
    const { ProductRating } = reviewModels();
    expect((await ProductRating.findByPk(product.id))?.review_count).to.equal(1);
    expect((await t.agent().get(`/reviews/${review.id}/edit`)).status, 'a guest').to.be.oneOf([302, 303]);
    const stranger = await customer(t);
    expect((await stranger.agent.get(`/reviews/${review.id}/edit`)).status, 'not the author').to.equal(403);
    const edited = await postReview(b.agent, product.id, { rating: '2', title: 'Second take', body: 'It cracked after a week of daily use.' }, [], `/reviews/${review.id}`, `/reviews/${review.id}/edit`);
    expect(edited.status, edited.text.slice(0, 300)).to.equal(303);
    await review.reload();
    expect([review.status, review.rating, review.title]).to.deep.equal(['pending', 2, 'Second take']);
    const rating = await ProductRating.findByPk(product.id);
    expect([rating?.review_count, rating?.star_total]).to.deep.equal([0, 0]);
    expect((await t.agent().get(`/products/${product.slug}`)).text).not.to.contain('Second take');
    await moderate(admin, { action: 'approve' }, `?only=${review.id}`);
    const again = await ProductRating.findByPk(product.id);
    expect([again?.review_count, again?.star_total, again?.star_2]).to.deep.equal([1, 2, 1]);
  });

  it('takes other plugins’ fields through the form section reviews.review: validated together, committed with the review', async () => {
    const seen: number[] = [];
    const dispose = t.platform.forms.extend('reviews', 'reviews.review', {
      fields: ['reviews_agree'],
      schema: z.object({ reviews_agree: z.string({ message: 'Accept the review guidelines' }).refine((v) => v === 'on', 'Accept the review guidelines') }),
      render: ({ errors }) => fragment`<label><input type="checkbox" name="reviews_agree" value="on"> I follow the review guidelines</label><p class="error">${errors.reviews_agree ?? ''}</p>`,
      commit: (_tx, _data, _req, context) => {
        seen.push(context.reviewId);
      },
    });
    try {
      const product = products.section;
      expect((await b.agent.get(`/reviews/new?product=${product.id}`)).text).to.contain('I follow the review guidelines');
      const refused = await postReview(b.agent, product.id, GOOD_REVIEW);
      expect(refused.status).to.equal(422);
      expect(refused.text).to.contain('Accept the review guidelines');
      const { Review } = reviewModels();
      expect(await Review.count({ where: { product_id: product.id } })).to.equal(0);
      expect((await postReview(b.agent, product.id, { ...GOOD_REVIEW, reviews_agree: 'on' })).status).to.equal(303);
      const review = await latestReviewOf(b.user.id);
      expect(seen).to.deep.equal([review.id]);
    } finally {
      dispose();
    }
  });
});

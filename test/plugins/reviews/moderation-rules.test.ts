import { expect } from 'chai';
import type supertest from 'supertest';
import { loginAsAdmin, startTestApp, type TestApp } from '../../helpers/app';
import { GOOD_REVIEW, buyer, latestReviewOf, makeProduct, makeShop, moderate, postReview, reviewModels, sellerAgent, type ShopFixture } from './helpers';

describe('reviews: what holds a review, escaping, JSON-LD, and concurrent approvals', function () {
  this.timeout(90_000);
  let t: TestApp;
  let shop: ShopFixture;
  let seller: supertest.Agent;
  let admin: supertest.Agent;
  let trusted: Awaited<ReturnType<typeof buyer>>;
  const products: Array<Awaited<ReturnType<typeof makeProduct>>> = [];

  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'reviews'] });
    shop = await makeShop(t, { name: 'Rules Shop' });
    seller = await sellerAgent(t, shop);
    admin = t.agent();
    await loginAsAdmin(admin);
    for (let i = 0; i < 5; i++) products.push(await makeProduct(t, shop.shop, { title: `Rules Kettle ${i}` }));
    // One buyer of every product, with one approved review already: "trusted" with trustedAfter = 1.
    trusted = await buyer(t, seller, products.map((p) => p.id), { display_name: 'Trudy Trusted' });
    expect((await postReview(trusted.agent, products[0].id, GOOD_REVIEW)).status).to.equal(303);
    const first = await latestReviewOf(trusted.user.id);
    expect((await moderate(admin, { action: 'approve' }, `?only=${first.id}`)).status).to.equal(303);
    const current = t.platform.settings.get<Record<string, unknown>>('reviews');
    await t.platform.options.set('settings.reviews', { ...current, moderation: 'trusted', trustedAfter: 1, heldWords: 'scam, refund me' });
  });
  after(async () => t.close());

  it('publishes a trusted buyer’s review at once, but a held word or a link always holds it for moderation', async () => {
    expect((await postReview(trusted.agent, products[1].id, { ...GOOD_REVIEW, title: 'Straight to the page' })).status).to.equal(303);
    const auto = await latestReviewOf(trusted.user.id);
    expect(auto.status).to.equal('approved');
    expect((await t.agent().get(`/products/${products[1].slug}`)).text).to.contain('Straight to the page');

    expect((await postReview(trusted.agent, products[2].id, { ...GOOD_REVIEW, body: 'Total SCAM, the lid fell off on day one.' })).status).to.equal(303);
    const worded = await latestReviewOf(trusted.user.id);
    expect([worded.status, worded.held_reason]).to.deep.equal(['pending', 'It contains a held word ("scam").']);

    expect((await postReview(trusted.agent, products[3].id, { ...GOOD_REVIEW, body: 'Cheaper at www.example-shop.test, trust me.' })).status).to.equal(303);
    const linked = await latestReviewOf(trusted.user.id);
    expect([linked.status, linked.held_reason]).to.deep.equal(['pending', 'It contains a link.']);
    const queue = await admin.get('/admin/reviews');
    expect(queue.text).to.contain('Held: It contains a link.');
    expect(queue.text).to.contain('Held: It contains a held word');
  });

  it('shows a review with HTML or a script as text, and writes JSON-LD that no review text can close', async () => {
    const xss = { rating: '4', title: '<b>Bold</b> claim', body: 'Nice <script>alert("x")</script> kettle </script><img src=x onerror=alert(1)>' };
    const { user, agent } = await buyer(t, seller, [products[4].id]);
    expect((await postReview(agent, products[4].id, xss)).status).to.equal(303);
    const review = await latestReviewOf(user.id);
    expect((await moderate(admin, { action: 'approve' }, `?only=${review.id}`)).status).to.equal(303);
    const page = await t.agent().get(`/products/${products[4].slug}`);
    expect(page.text).to.contain('&lt;b&gt;Bold&lt;/b&gt; claim');
    expect(page.text).to.contain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;');
    expect(page.text).not.to.contain('<script>alert');
    expect(page.text).not.to.contain('<img src=x');

    const ld = /<script type="application\/ld\+json" nonce="([^"]+)">([\s\S]*?)<\/script>/.exec(page.text);
    expect(ld, 'a JSON-LD block with the page nonce').to.not.equal(null);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).to.contain(`'nonce-${ld![1]}'`);
    const data = JSON.parse(ld![2]) as { '@type': string; aggregateRating: { ratingValue: number; reviewCount: number }; review: Array<{ reviewBody: string; reviewRating: { ratingValue: number } }> };
    expect(data['@type']).to.equal('Product');
    expect(data.aggregateRating).to.include({ ratingValue: 4, reviewCount: 1 });
    expect(data.review[0].reviewBody).to.equal(xss.body);
    expect(ld![2]).not.to.contain('</');
  });

  it('counts every approval when moderators approve a product’s reviews at the same time', async () => {
    const product = await makeProduct(t, shop.shop, { title: 'Busy Kettle' });
    const { Review, ProductRating } = reviewModels();
    const ratings = [5, 4, 3, 5, 1, 2, 4, 5];
    const ids: number[] = [];
    for (const [i, rating] of ratings.entries()) {
      const r = await Review.create({ product_id: product.id, shop_id: shop.shop.id, order_id: 1, order_item_id: 700_000 + i, user_id: trusted.user.id, rating, title: `Busy ${i}`, body: 'Written for the concurrency test.' });
      ids.push(r.id);
    }
    // Each review approved by two requests at once (a double click), all reviews at once.
    const responses = await Promise.all([...ids, ...ids].map((id) => moderate(admin, { action: 'approve' }, `?only=${id}`)));
    expect(responses.map((r) => r.status).every((s) => s === 303)).to.equal(true);
    const row = await ProductRating.findByPk(product.id);
    expect([row?.review_count, row?.star_total]).to.deep.equal([ratings.length, ratings.reduce((a, b) => a + b, 0)]);
    expect(await Review.count({ where: { product_id: product.id, status: 'approved' } })).to.equal(ratings.length);
    const page = await t.agent().get(`/products/${product.slug}`);
    expect(page.text).to.contain(`3.6 · ${ratings.length} reviews`);
  });
});

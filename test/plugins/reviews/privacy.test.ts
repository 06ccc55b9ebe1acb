import { expect } from 'chai';
import type supertest from 'supertest';
import { csrfFrom, loginAsAdmin, startTestApp, type TestApp } from '../../helpers/app';
import { User } from '../../../core/index';
import { GOOD_REVIEW, buyer, latestReviewOf, makeProduct, makeShop, moderate, pngImage, postReview, reviewModels, sellerAgent, type ShopFixture } from './helpers';

describe('reviews: a person’s reviews in their export; closing the account keeps published reviews without them', function () {
  this.timeout(90_000);
  let t: TestApp;
  let shop: ShopFixture;
  let seller: supertest.Agent;
  let admin: supertest.Agent;

  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'reviews'] });
    shop = await makeShop(t, { name: 'Privacy Shop' });
    seller = await sellerAgent(t, shop);
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

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

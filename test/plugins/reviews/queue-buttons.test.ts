import { expect } from 'chai';
import type supertest from 'supertest';
import { loginAsAdmin, startTestApp, type TestApp } from '../../helpers/app';
import { GOOD_REVIEW, buyer, latestReviewOf, makeProduct, makeShop, moderate, postReview, sellerAgent } from './helpers';

/**
 * Found by the browser journeys: a review's own Approve button sits in the bulk form, whose select is named
 * `action` too, so a real browser posts `action` twice (the select's, then the button's) and the queue
 * answered "Choose an action" instead of approving.
 */
describe("reviews: a review's own buttons in the moderation queue, as a browser posts them", function () {
  this.timeout(90_000);
  let t: TestApp;
  let admin: supertest.Agent;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'reviews'] });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  it("does what the pressed button says, whatever the bulk select holds", async () => {
    const shop = await makeShop(t, { name: 'Queue Shop' });
    const products = [await makeProduct(t, shop.shop, { title: 'Queue Jug' }), await makeProduct(t, shop.shop, { title: 'Queue Cup' })];
    const b = await buyer(t, await sellerAgent(t, shop), products.map((p) => p.id));
    expect((await postReview(b.agent, products[0].id, GOOD_REVIEW)).status).to.equal(303);
    const first = await latestReviewOf(b.user.id);
    // The select's first choice is Approve; the button pressed is Spam.
    expect((await moderate(admin, { action: ['approve', 'spam'] }, `?only=${first.id}`)).status).to.equal(303);
    await first.reload();
    expect(first.status).to.equal('spam');

    expect((await postReview(b.agent, products[1].id, GOOD_REVIEW)).status).to.equal(303);
    const second = await latestReviewOf(b.user.id);
    expect((await moderate(admin, { action: ['approve', 'approve'] }, `?only=${second.id}`)).status).to.equal(303);
    await second.reload();
    expect(second.status).to.equal('approved');
  });
});

import { expect } from 'chai';
import { startTestApp, createUser, login, csrfFrom, tokenFor, type TestApp } from '../../../helpers/app';
import { sellerWithShop } from '../../shops/catalog-helpers';
import { makeProduct } from '../../shops/order-helpers';
import { countRows, followsModels, postFrom } from '../follows-helpers';

describe('follows: the follow button, counts and "Shops I follow"', function () {
  this.timeout(60_000);
  let t: TestApp;
  let seller: Awaited<ReturnType<typeof sellerWithShop>>;
  let buyer: { agent: ReturnType<TestApp['agent']>; id: number };
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'follows'] });
    seller = await sellerWithShop(t, { name: 'Pottery Corner' });
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.username, password);
    buyer = { agent, id: user.id };
  });
  after(async () => t.close());

  const shopUrl = () => `/shops/${seller.shop.slug}`;

  it('shows a guest a Follow link to log in, and the follower count', async () => {
    const res = await t.agent().get(shopUrl()).expect(200);
    expect(res.text).to.contain(`href="/login?next=${encodeURIComponent(shopUrl())}"`);
    expect(res.text).to.match(/class="muted small follower-count">0 followers</);
    // A guest cannot follow by posting either.
    const guest = t.agent();
    const token = await tokenFor(guest, '/login');
    await guest.post(`/follows/shops/${seller.shop.id}/follow`).type('form').send({ _csrf: token }).expect(403);
    expect(await countRows(t, 'follows_follows', 'shop_id = ?', [seller.shop.id])).to.equal(0);
  });

  it('follows from the shop page with a plain form (CSRF token, no JavaScript) and comes back to it', async () => {
    const page = await buyer.agent.get(shopUrl()).expect(200);
    expect(page.text).to.contain(`action="/follows/shops/${seller.shop.id}/follow"`);
    const res = await postFrom(buyer.agent, shopUrl(), `/follows/shops/${seller.shop.id}/follow`, { back: shopUrl() });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(shopUrl());
    const after = await buyer.agent.get(shopUrl()).expect(200);
    expect(after.text).to.contain('You follow Pottery Corner');
    expect(after.text).to.contain(`action="/follows/shops/${seller.shop.id}/unfollow"`);
    expect(after.text).to.match(/follower-count">1 follower</);
    const { Follow } = await followsModels();
    expect(await Follow.count({ where: { user_id: buyer.id, shop_id: seller.shop.id } })).to.equal(1);
  });

  it('refuses a post without the CSRF token', async () => {
    const res = await buyer.agent.post(`/follows/shops/${seller.shop.id}/unfollow`).type('form').send({});
    expect(res.status).to.equal(403);
    expect(await countRows(t, 'follows_follows', 'user_id = ?', [buyer.id])).to.equal(1);
  });

  it('counts two follows sent at once as one, and fires follows.shop.followed once', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.username, password);
    const fired: number[] = [];
    const off = t.platform.hooks.on('test', 'follows.shop.followed', (f) => {
      if (f.userId === user.id) fired.push(f.count);
    });
    try {
      const token = csrfFrom((await agent.get(shopUrl())).text);
      const send = () => agent.post(`/follows/shops/${seller.shop.id}/follow`).type('form').send({ _csrf: token });
      const results = await Promise.all([send(), send(), send()]);
      expect(results.map((r) => r.status)).to.deep.equal([303, 303, 303]);
      expect(await countRows(t, 'follows_follows', 'user_id = ? AND shop_id = ?', [user.id, seller.shop.id])).to.equal(1);
      expect(fired).to.deep.equal([2]);
    } finally {
      off();
    }
  });

  it('puts the button on the product page shop card, coming back to the product', async () => {
    const product = await makeProduct(t, seller.shop, { title: 'Blue bowl' });
    const res = await buyer.agent.get(`/products/${product.slug}`).expect(200);
    expect(res.text).to.contain(`action="/follows/shops/${seller.shop.id}/unfollow"`);
    expect(res.text).to.contain(`name="back" value="/products/${product.slug}"`);
  });

  it('ignores a "back" address off the site', async () => {
    const res = await postFrom(buyer.agent, shopUrl(), `/follows/shops/${seller.shop.id}/follow`, { back: '//evil.example/' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(shopUrl());
  });

  it('answers 404 for a shop that does not exist', async () => {
    await postFrom(buyer.agent, shopUrl(), '/follows/shops/999999/follow').then((r) => expect(r.status).to.equal(404));
  });

  it('lists the shop under "Shops I follow" and unfollows from there', async () => {
    const list = await buyer.agent.get('/account/following').expect(200);
    expect(list.text).to.contain('Pottery Corner');
    expect(list.text).to.contain(`href="${shopUrl()}"`);
    const res = await postFrom(buyer.agent, '/account/following', `/follows/shops/${seller.shop.id}/unfollow`, { back: '/account/following' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/account/following');
    const after = await buyer.agent.get('/account/following').expect(200);
    expect(after.text).to.contain('You follow no shop yet');
    expect(await countRows(t, 'follows_follows', 'user_id = ?', [buyer.id])).to.equal(0);
  });

  it('sends a guest asking for the account pages to log in', async () => {
    for (const url of ['/account/following', '/account/notifications', '/account/notifications/settings']) {
      const res = await t.agent().get(url);
      expect(res.status, url).to.equal(302);
      expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(url)}`);
    }
  });

  it("shows the seller the follower count on the dashboard, never the followers' addresses", async () => {
    const { user, password } = await createUser({ email: 'secret.follower@example.test' });
    const agent = t.agent();
    await login(agent, user.username, password);
    await postFrom(agent, shopUrl(), `/follows/shops/${seller.shop.id}/follow`);
    const dashboard = await seller.agent.get('/seller').expect(200);
    const count = await countRows(t, 'follows_follows', 'shop_id = ?', [seller.shop.id]);
    expect(count).to.be.greaterThan(0);
    expect(dashboard.text).to.match(new RegExp(`class="stat-number follower-count">${count}<`));
    expect(dashboard.text).to.contain(`${count} new in the last 7 days`);
    expect(dashboard.text).to.not.contain('secret.follower@example.test');
    expect(dashboard.text).to.not.contain(user.display_name);
  });

  it('links the follow pages from the account page', async () => {
    const res = await buyer.agent.get('/account').expect(200);
    expect(res.text).to.contain('href="/account/following"');
    expect(res.text).to.contain('href="/account/notifications/settings"');
  });
});

import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, login, type TestApp } from '../../../helpers/app';
import { makeProduct, makeShop, pluginModule } from '../../shops/order-helpers';
import { bulkFollowers, countRows, postFrom, setFollowsSettings } from '../follows-helpers';
import type { Shop } from '../../../../plugins/shops/models/shop';

type ProductServiceModule = typeof import('../../../../plugins/shops/services/product-service');

describe('follows: emails to followers, batched per shop within a window, with one-click unfollow', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'follows'], smtp: true });
  });
  after(async () => t.close());

  async function publish(shop: Shop, title: string, price = 2500) {
    const product = await makeProduct(t, shop, { title, price, status: 'draft' });
    const { ProductService } = await pluginModule<ProductServiceModule>('services/product-service.ts');
    await new ProductService(t.config.uploadsDir, t.platform.hooks).setStatus(shop, product.id, 'published');
    return product;
  }

  /** A follower written straight to the tables (no password to hash): for the tests that need no login. */
  async function quietFollower(shop: Shop, prefix: string) {
    const [id] = await bulkFollowers(t, shop.id, 1, { prefix });
    return { user: { id }, email: `${prefix}-0@followers.test` };
  }

  async function follower(shop: Shop, email: string) {
    const { user, password } = await createUser({ email });
    const agent = t.agent();
    await login(agent, user.username, password);
    const res = await postFrom(agent, `/shops/${shop.slug}`, `/follows/shops/${shop.id}/follow`);
    expect(res.status).to.equal(303);
    return { user, agent };
  }

  /** The window's end, as the queue sees it: its delayed email jobs become due now. */
  async function endWindows() {
    const now = new Date();
    await t.platform.sequelize.query("UPDATE jobs SET run_at = ? WHERE name = 'follows.digest' AND status = 'queued'", { replacements: [now] });
    await t.platform.jobs.idle(20_000);
  }

  const mailsTo = (email: string) => t.smtp!.to(email);

  it('sends one email for several products of one shop within the window, after the window', async () => {
    await setFollowsSettings(t, { emailWindowMinutes: 60 });
    const { shop } = await makeShop(t, { name: 'Window Shop' });
    const { user, email } = await quietFollower(shop, 'window');
    await publish(shop, 'Oak spoon', 1200);
    await publish(shop, 'Ash bowl', 3400);
    await t.platform.jobs.idle(20_000);
    // Both are in the app at once; the email waits for the window.
    expect(await countRows(t, 'follows_notifications', "user_id = ? AND email_status = 'pending'", [user.id])).to.equal(2);
    const [digest] = await t.platform.sequelize.query<{ status: string; due_at: string }>('SELECT status, due_at FROM follows_digests WHERE shop_id = ?', { replacements: [shop.id], type: QueryTypes.SELECT });
    expect(digest.status).to.equal('open');
    const dueIn = new Date(digest.due_at).getTime() - Date.now();
    expect(dueIn).to.be.within(55 * 60_000, 60 * 60_000);
    expect(mailsTo(email)).to.have.length(0);

    await endWindows();
    const mail = await t.smtp!.waitFor(email);
    expect(mail.subject).to.equal('2 updates from Window Shop');
    expect(mail.text).to.contain('Oak spoon');
    expect(mail.text).to.contain('Ash bowl');
    expect(mail.text).to.contain('€12.00');
    expect(mailsTo(email)).to.have.length(1);
    expect(await countRows(t, 'follows_notifications', "user_id = ? AND email_status = 'sent'", [user.id])).to.equal(2);

    // Something new after the window: a new window, a second email with only that.
    await publish(shop, 'Elm board', 5600);
    await t.platform.jobs.idle(20_000);
    await endWindows();
    const second = await t.smtp!.waitFor(email, /Elm board/);
    expect(second.subject).to.equal('New from Window Shop: Elm board');
    expect(second.text).to.not.contain('Oak spoon');
    expect(mailsTo(email)).to.have.length(2);
  });

  it('puts a signed one-click unfollow link in each email, with List-Unsubscribe and List-Unsubscribe-Post', async () => {
    await setFollowsSettings(t, { emailWindowMinutes: 0 });
    const { shop } = await makeShop(t, { name: 'Link Shop' });
    const { user, email } = await quietFollower(shop, 'link');
    await publish(shop, 'Linen towel');
    const mail = await t.smtp!.waitFor(email);
    expect(mail.headers['list-unsubscribe-post']).to.equal('List-Unsubscribe=One-Click');
    const oneClick = /^<(http:\/\/agora\.test\/follows\/one-click\?t=[^>]+)>$/.exec(mail.headers['list-unsubscribe']);
    expect(oneClick, mail.headers['list-unsubscribe']).to.not.equal(null);
    const pageLink = /http:\/\/agora\.test\/follows\/unfollow\?t=[^\s"<>\]]+/.exec(mail.html)?.[0].replace(/&amp;/g, '&');
    expect(pageLink).to.be.a('string');

    // The link from the email opens a page with a button, without logging in; nothing changes on the GET.
    const guest = t.agent();
    const page = await guest.get(pageLink!.replace('http://agora.test', '')).expect(200);
    expect(page.text).to.contain('Unfollow Link Shop?');
    expect(await countRows(t, 'follows_follows', 'user_id = ? AND shop_id = ?', [user.id, shop.id])).to.equal(1);

    // A tampered token is refused, with a page that says so, and unfollows nobody.
    const url = new URL(oneClick![1]);
    const token = url.searchParams.get('t')!;
    const [payload, sig] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ u: user.id + 1, s: shop.id })).toString('base64url')}.${sig}`;
    expect(forged.split('.')[0]).to.not.equal(payload);
    const refused = await t.agent().post(`/follows/one-click?t=${encodeURIComponent(forged)}`).type('form').send('List-Unsubscribe=One-Click');
    expect(refused.status).to.equal(400);
    const refusedPage = await t.agent().get(`/follows/unfollow?t=${encodeURIComponent(forged)}`);
    expect(refusedPage.status).to.equal(400);
    expect(refusedPage.text).to.contain('This link is not valid');
    expect(await countRows(t, 'follows_follows', 'user_id = ? AND shop_id = ?', [user.id, shop.id])).to.equal(1);

    // The mail client's one-click POST: no session, no CSRF token, only the signed link.
    const done = await t.agent().post(`${url.pathname}${url.search}`).type('form').send('List-Unsubscribe=One-Click');
    expect(done.status).to.equal(200);
    expect(done.headers['set-cookie']).to.equal(undefined);
    expect(await countRows(t, 'follows_follows', 'user_id = ? AND shop_id = ?', [user.id, shop.id])).to.equal(0);
    // Again is harmless.
    await t.agent().post(`${url.pathname}${url.search}`).type('form').send('List-Unsubscribe=One-Click').expect(200);

    // Unfollowed: the next product is not told.
    await publish(shop, 'Linen apron');
    await t.platform.jobs.idle(20_000);
    expect(await countRows(t, 'follows_notifications', 'user_id = ? AND shop_id = ?', [user.id, shop.id])).to.equal(1);
    expect(mailsTo(email)).to.have.length(1);
  });

  it('unfollows through the page of the link, with its button', async () => {
    await setFollowsSettings(t, { emailWindowMinutes: 0 });
    const { shop } = await makeShop(t, { name: 'Button Shop' });
    const { user, email } = await quietFollower(shop, 'button');
    await publish(shop, 'Clay cup');
    const mail = await t.smtp!.waitFor(email);
    const link = /http:\/\/agora\.test(\/follows\/unfollow\?t=[^\s"<>\]]+)/.exec(mail.html)![1].replace(/&amp;/g, '&');
    const guest = t.agent();
    const res = await postFrom(guest, link, '/follows/unfollow', { t: new URL(`http://x${link}`).searchParams.get('t')! });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('You no longer follow Button Shop');
    expect(await countRows(t, 'follows_follows', 'user_id = ?', [user.id])).to.equal(0);
  });

  it('respects email turned off for one shop, and for all, in /account/notifications/settings; in-app notifications still come', async () => {
    await setFollowsSettings(t, { emailWindowMinutes: 0 });
    const { shop: quiet } = await makeShop(t, { name: 'Quiet Shop' });
    const { shop: loud } = await makeShop(t, { name: 'Loud Shop' });
    const { user, agent } = await follower(quiet, 'optout.follower@example.test');
    await postFrom(agent, `/shops/${loud.slug}`, `/follows/shops/${loud.id}/follow`).then((r) => expect(r.status).to.equal(303));

    const page = await agent.get('/account/notifications/settings').expect(200);
    expect(page.text).to.contain('Quiet Shop');
    expect(page.text).to.contain('Loud Shop');
    // Quiet Shop's box unticked: only Loud Shop may email.
    const saved = await postFrom(agent, '/account/notifications/settings', '/account/notifications/settings', { email_all: 'on', shown: [String(quiet.id), String(loud.id)], email_shop: [String(loud.id)] });
    expect(saved.status).to.equal(303);
    await publish(quiet, 'Silent bell');
    await publish(loud, 'Brass horn');
    await t.smtp!.waitFor('optout.follower@example.test', /Brass horn/);
    await t.platform.jobs.idle(20_000);
    expect(mailsTo('optout.follower@example.test').map((m) => m.subject)).to.deep.equal(['New from Loud Shop: Brass horn']);
    expect(await countRows(t, 'follows_notifications', "user_id = ? AND shop_id = ? AND email_status = 'off'", [user.id, quiet.id])).to.equal(1);

    // Everything off: no email from either, notifications still in the app.
    await postFrom(agent, '/account/notifications/settings', '/account/notifications/settings', { shown: [String(quiet.id), String(loud.id)], email_shop: [String(loud.id)] }).then((r) => expect(r.status).to.equal(303));
    const after = await agent.get('/account/notifications/settings').expect(200);
    expect(after.text).to.not.match(/name="email_all" value="on" checked/);
    await publish(loud, 'Tin whistle');
    await t.platform.jobs.idle(20_000);
    expect(mailsTo('optout.follower@example.test')).to.have.length(1);
    const list = await agent.get('/account/notifications').expect(200);
    expect(list.text).to.contain('Tin whistle');
    expect(list.text).to.contain('Silent bell');
  });

  it('skips an email waiting in the window when the follower turns email off before it goes', async () => {
    await setFollowsSettings(t, { emailWindowMinutes: 60 });
    const { shop } = await makeShop(t, { name: 'Late Shop' });
    const { user, agent } = await follower(shop, 'late.follower@example.test');
    await publish(shop, 'Late lamp');
    await t.platform.jobs.idle(20_000);
    expect(await countRows(t, 'follows_notifications', "user_id = ? AND email_status = 'pending'", [user.id])).to.equal(1);
    await postFrom(agent, '/account/notifications/settings', '/account/notifications/settings', { shown: [String(shop.id)], email_shop: [String(shop.id)] });
    await endWindows();
    expect(mailsTo('late.follower@example.test')).to.have.length(0);
    expect(await countRows(t, 'follows_notifications', "user_id = ? AND email_status = 'skipped'", [user.id])).to.equal(1);
  });

  it('answers 422 on the same page for settings it cannot read, and changes nothing', async () => {
    const { shop } = await makeShop(t, { name: 'Form Shop' });
    const { user, agent } = await follower(shop, 'form.follower@example.test');
    const res = await postFrom(agent, '/account/notifications/settings', '/account/notifications/settings', { email_all: 'yes please', shown: ['abc'] });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('These settings could not be read');
    expect(res.text).to.contain('Form Shop');
    expect(await countRows(t, 'follows_preferences', 'user_id = ?', [user.id])).to.equal(0);
  });
});

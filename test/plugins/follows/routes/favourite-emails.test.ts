import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, login, csrfFrom, type TestApp } from '../../../helpers/app';
import { addToCart, checkout, makeProduct, makeShop } from '../../shops/order-helpers';
import { editProduct } from '../../shops/catalog-helpers';
import { countRows, followsModels, postFrom, setFollowsSettings } from '../follows-helpers';
import type { Shop } from '../../../../plugins/shops/models/shop';
import type { Product } from '../../../../plugins/shops/models/product';

type Agent = ReturnType<TestApp['agent']>;

describe('follows: hearts on product cards, back in stock, and favourites told by email', function () {
  this.timeout(90_000);
  let t: TestApp;
  let shop: Shop;
  let seller: Agent;
  let seq = 0;

  const person = async (email: string) => {
    const { user, password } = await createUser({ email });
    const agent = t.agent();
    await login(agent, user.username, password);
    return { id: user.id, email, agent };
  };
  const favourite = async (who: { agent: Agent }, product: Product) =>
    expect((await postFrom(who.agent, `/products/${product.slug}`, `/follows/products/${product.id}/favourite`)).status).to.equal(303);
  const editFields = (p: Product, fields: Record<string, string>) => ({ title: p.title, slug: p.slug, price: (p.price / 100).toFixed(2), status: 'published' as const, ...fields });
  /** Email windows end now: their delayed email jobs become due. */
  const endWindows = async () => {
    await t.platform.jobs.idle(20_000);
    await t.platform.sequelize.query("UPDATE jobs SET run_at = ? WHERE name = 'follows.digest' AND status = 'queued'", { replacements: [new Date()] });
    await t.platform.jobs.idle(20_000);
  };
  const notificationsOf = (userId: number, kind: string) =>
    countRows(t, 'follows_notifications n JOIN follows_events e ON e.id = n.event_id', 'n.user_id = ? AND e.kind = ?', [userId, kind]);

  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'follows'], smtp: true });
    await setFollowsSettings(t, { emailWindowMinutes: 60 });
    const made = await makeShop(t, { name: 'Heart Shop' });
    shop = made.shop;
    seller = t.agent();
    await login(seller, made.seller.username, made.password);
  });
  after(async () => t.close());

  const product = (spec: { stock?: number | null; price?: number } = {}) => makeProduct(t, shop, { title: `Wool hat ${++seq}`, price: spec.price ?? 4000, stock: spec.stock });

  describe('the heart on product cards', () => {
    it('shows a guest a heart linking to the login on the catalog, the shop page and the home page', async () => {
      const p = await product();
      for (const page of ['/products', `/shops/${shop.slug}`, '/']) {
        const res = await t.agent().get(page).expect(200);
        expect(res.text, page).to.contain(`href="/login?next=${encodeURIComponent(page)}" aria-label="Log in to add ${p.title} to your favourites"`);
      }
    });

    it('gives a person a form on each card that favourites and comes back to the same page, the page asking once for all its cards', async () => {
      const p = await product();
      const other = await product();
      const fan = await person(`cards${seq}@example.test`);
      const { Favourite } = await followsModels();
      let finds = 0;
      Favourite.addHook('beforeFind', 'count-finds', () => void finds++);
      const page = await fan.agent.get('/products?sort=newest').expect(200);
      Favourite.removeHook('beforeFind', 'count-finds');
      expect(finds, 'one query for every card of the page').to.equal(1);
      expect(page.text).to.contain(`action="/follows/products/${p.id}/favourite"`);
      expect(page.text).to.contain(`action="/follows/products/${other.id}/favourite"`);
      expect(page.text).to.contain(`<input type="hidden" name="back" value="/products?sort=newest">`);
      const res = await fan.agent.post(`/follows/products/${p.id}/favourite`).type('form').send({ _csrf: csrfFrom(page.text), back: '/products?sort=newest' });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/products?sort=newest');
      expect(await countRows(t, 'follows_favourites', 'user_id = ? AND product_id = ?', [fan.id, p.id])).to.equal(1);
      const again = await fan.agent.get(`/shops/${shop.slug}`).expect(200);
      expect(again.text).to.contain(`action="/follows/products/${p.id}/unfavourite"`);
      expect(again.text).to.contain(`aria-label="Remove ${p.title} from your favourites"`);
      expect(again.text).to.contain(`action="/follows/products/${other.id}/favourite"`);
    });

    it('refuses a card form without its CSRF token', async () => {
      const p = await product();
      const fan = await person(`csrf${seq}@example.test`);
      await fan.agent.get('/products');
      const res = await fan.agent.post(`/follows/products/${p.id}/favourite`).type('form').send({ back: '/products' });
      expect(res.status).to.equal(403);
      expect(await countRows(t, 'follows_favourites', 'user_id = ?', [fan.id])).to.equal(0);
    });
  });

  describe('back in stock', () => {
    it('tells everyone who favourited a sold-out product, once, when the seller puts stock back: in the app and by email per their settings', async () => {
      const p = await product({ stock: 0 });
      const fan = await person(`restock-fan${seq}@example.test`);
      const quiet = await person(`restock-quiet${seq}@example.test`);
      const follower = await person(`restock-follower${seq}@example.test`);
      for (const who of [fan, quiet, follower]) await favourite(who, p);
      // quiet turns favourite emails off; follower follows the shop with its emails off.
      expect((await postFrom(quiet.agent, '/account/notifications/settings', '/account/notifications/settings', { email_all: 'on' })).status).to.equal(303);
      expect((await postFrom(follower.agent, `/shops/${shop.slug}`, `/follows/shops/${shop.id}/follow`)).status).to.equal(303);
      expect((await postFrom(follower.agent, '/account/notifications/settings', '/account/notifications/settings', { email_all: 'on', email_favourites: 'on', shown: String(shop.id) })).status).to.equal(303);

      const res = await editProduct(seller, p.id, editFields(p, { stock: '5' }));
      expect(res.status, res.text.slice(0, 300)).to.equal(303);
      await endWindows();
      for (const who of [fan, quiet, follower]) expect(await notificationsOf(who.id, 'restocked'), who.email).to.equal(1);
      const mail = await t.smtp!.waitFor(fan.email);
      expect(mail.subject).to.equal(`${p.title} is back in stock at Heart Shop`);
      expect(mail.text).to.contain('is back in stock');
      expect(mail.headers['list-unsubscribe']).to.match(/^<http:\/\/[^>]+\/follows\/favourite-emails\/one-click\?t=[^>]+>$/);
      expect(mail.headers['list-unsubscribe-post']).to.equal('List-Unsubscribe=One-Click');
      expect(await countRows(t, 'follows_notifications', "user_id IN (?, ?) AND email_status = 'off'", [quiet.id, follower.id])).to.equal(2);

      // More stock on a product in stock is no news; sold out and back again is.
      await editProduct(seller, p.id, editFields(p, { stock: '6' }));
      await endWindows();
      expect(await notificationsOf(fan.id, 'restocked')).to.equal(1);
      expect(t.smtp!.to(fan.email)).to.have.length(1);
      expect(t.smtp!.to(quiet.email)).to.have.length(0);
      expect(t.smtp!.to(follower.email)).to.have.length(0);
      const list = await fan.agent.get('/account/notifications').expect(200);
      expect(list.text).to.contain(`<strong>${p.title}</strong>, a favourite of yours, is back in stock (€40.00)`);
    });

    it('tells them when a cancelled order gives the last unit back', async () => {
      const p = await product({ stock: 1 });
      const fan = await person(`cancel-fan${seq}@example.test`);
      await favourite(fan, p);
      const buyer = t.agent();
      expect((await addToCart(buyer, p.id, 1)).status).to.equal(303);
      expect((await checkout(buyer)).status).to.equal(303);
      const [order] = await t.platform.sequelize.query<{ number: string }>('SELECT o.number FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = ?', { replacements: [p.id], type: QueryTypes.SELECT });
      expect(await countRows(t, 'products', 'id = ? AND stock = 0', [p.id])).to.equal(1);
      await t.platform.jobs.idle(20_000);
      expect(await notificationsOf(fan.id, 'restocked')).to.equal(0);

      const url = `/seller/orders/${encodeURIComponent(order.number)}`;
      const cancelled = await postFrom(seller, url, `${url}/status`, { to: 'cancelled', note: '' });
      expect(cancelled.status, cancelled.text.slice(0, 300)).to.equal(303);
      await endWindows();
      expect(await notificationsOf(fan.id, 'restocked')).to.equal(1);
      expect((await t.smtp!.waitFor(fan.email)).subject).to.equal(`${p.title} is back in stock at Heart Shop`);
    });

    it('turns favourite emails off from the one-click link, without login; a changed link is refused', async () => {
      const p = await product({ stock: 0 });
      const fan = await person(`oneclick${seq}@example.test`);
      await favourite(fan, p);
      await editProduct(seller, p.id, editFields(p, { stock: '2' }));
      await endWindows();
      const mail = await t.smtp!.waitFor(fan.email);
      const url = new URL(/^<([^>]+)>$/.exec(mail.headers['list-unsubscribe'] as string)![1]);
      const forged = `${url.pathname}?t=${encodeURIComponent(url.searchParams.get('t')!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')))}`;
      expect((await t.agent().post(forged).type('form').send('List-Unsubscribe=One-Click')).status).to.equal(400);
      const done = await t.agent().post(`${url.pathname}${url.search}`).type('form').send('List-Unsubscribe=One-Click');
      expect(done.status).to.equal(200);
      const [pref] = await t.platform.sequelize.query<{ on: boolean | number }>('SELECT favourites_email_enabled AS "on" FROM follows_preferences WHERE user_id = ?', { replacements: [fan.id], type: QueryTypes.SELECT });
      expect(Boolean(pref.on)).to.equal(false);
      const settings = await fan.agent.get('/account/notifications/settings').expect(200);
      expect(settings.text).to.contain('name="email_favourites" value="on">');
      // The page of the email's footer link asks first, then does it.
      const page = await t.agent().get(`/follows/favourite-emails/off${url.search}`).expect(200);
      expect(page.text).to.contain('Stop emails about your favourites?');
    });
  });

  describe('a favourite discounted', () => {
    it('emails the people who favourited it (not following the shop), unless they turned all follow emails off', async () => {
      const p = await product({ price: 5000 });
      const fan = await person(`discount-fan${seq}@example.test`);
      const off = await person(`discount-off${seq}@example.test`);
      await favourite(fan, p);
      await favourite(off, p);
      expect((await postFrom(off.agent, '/account/notifications/settings', '/account/notifications/settings', { email_favourites: 'on' })).status).to.equal(303);
      const res = await editProduct(seller, p.id, editFields(p, { price: '35.00', compare_at_price: '50.00', stock: '10' }));
      expect(res.status).to.equal(303);
      await endWindows();
      const mail = await t.smtp!.waitFor(fan.email);
      expect(mail.subject).to.equal(`${p.title} is now €35.00 at Heart Shop`);
      expect(mail.text).to.contain('(was €50.00)');
      expect(mail.text).to.contain('you favourited');
      expect(await notificationsOf(off.id, 'discounted')).to.equal(1);
      expect(t.smtp!.to(off.email)).to.have.length(0);
    });
  });
});

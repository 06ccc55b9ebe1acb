import { expect } from 'chai';
import type supertest from 'supertest';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, login, loginAsAdmin, csrfFrom, type TestApp } from '../../helpers/app';
import { READ_CACHE_STALE } from '../../../core/db/read-cache';
import { Category } from '../../../plugins/shops/models/category';
import { openShop, createProduct } from '../../plugins/shops/catalog-helpers';

const setCookies = (res: supertest.Response): string[] => ([] as string[]).concat(res.headers['set-cookie'] ?? []);
const sessionCount = async (t: TestApp) =>
  Number((await t.platform.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM sessions', { type: QueryTypes.SELECT }))[0].n);

describe('read caches (core/db/read-cache.ts) and guests without a session', function () {
  this.timeout(120_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr', 'newsletter'] });
  });
  after(async () => t.close());

  it('shows a new, renamed or removed category on the next catalog page, though the tree is cached', async () => {
    await t.agent().get('/products').expect(200); // cached now
    const category = await Category.create({ name: 'Cache-check lamps', slug: 'cache-check-lamps', position: 90 });
    expect((await t.agent().get('/products').expect(200)).text).to.contain('Cache-check lamps');
    category.name = 'Cache-check lanterns';
    await category.save();
    const renamed = (await t.agent().get('/products').expect(200)).text;
    expect(renamed).to.contain('Cache-check lanterns').and.not.contain('Cache-check lamps');
    await Category.update({ name: 'Cache-check beacons' }, { where: { id: category.id } });
    expect((await t.agent().get('/products').expect(200)).text).to.contain('Cache-check beacons');
    await category.destroy();
    expect((await t.agent().get('/products').expect(200)).text).to.not.contain('Cache-check');
  });

  it('is really a cache: a raw write is not seen until another instance says the data changed (the bus)', async () => {
    const category = await Category.create({ name: 'Bus-check bowls', slug: 'bus-check-bowls', position: 91 });
    expect((await t.agent().get('/products').expect(200)).text).to.contain('Bus-check bowls');
    // A write this instance cannot see (as if made by another instance: no model hook runs here).
    await t.platform.sequelize.query('UPDATE categories SET name = :name WHERE id = :id', { replacements: { name: 'Bus-check plates', id: category.id } });
    expect((await t.agent().get('/products').expect(200)).text).to.contain('Bus-check bowls');
    // What the other instance publishes after its commit.
    await t.platform.bus.publish(READ_CACHE_STALE, { names: ['shops.category-tree', 'shops.top-categories'], origin: 'another-instance' });
    expect((await t.agent().get('/products').expect(200)).text).to.contain('Bus-check plates');
    await category.destroy();
  });

  it('shows a policy the admin just renamed in the footer signup at once (the section policies are cached)', async () => {
    const before = (await t.agent().get('/').expect(200)).text;
    const admin = t.agent();
    await loginAsAdmin(admin);
    const [privacy] = await t.platform.sequelize.query<{ id: number; title: string }>("SELECT id, title FROM gdpr_policies WHERE slug = 'privacy'", { type: QueryTypes.SELECT });
    expect(before).to.contain(privacy.title);
    const page = await admin.get(`/admin/privacy/policies/${privacy.id}`).expect(200);
    const body = (await t.platform.sequelize.query<{ body: string }>('SELECT body FROM gdpr_policy_versions WHERE policy_id = :id ORDER BY version DESC LIMIT 1', { type: QueryTypes.SELECT, replacements: { id: privacy.id } }))[0].body;
    const saved = await admin
      .post(`/admin/privacy/policies/${privacy.id}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), title: 'Privacy notice, revised for the cache test', body: `${body}\n\nRevised.`, changes: 'Renamed.' });
    expect(saved.status).to.equal(303);
    const after = (await t.agent().get('/').expect(200)).text;
    expect(after).to.contain('Privacy notice, revised for the cache test');
  });

  it('serves a guest page with no session cookie and no session row, and the guest add-to-cart form still works with its CSRF token', async () => {
    const seller = await createUser({ role: 'seller' });
    const sellerAgent = t.agent();
    await login(sellerAgent, seller.user.email, seller.password);
    await openShop(sellerAgent, { name: 'Guest Test Shop', slug: 'guest-test-shop' });
    await createProduct(sellerAgent, { title: 'Guest test mug', slug: 'guest-test-mug', price: '12.00', status: 'published' });

    const rowsBefore = await sessionCount(t);
    const guest = t.agent();
    for (const url of ['/', '/products', '/products/guest-test-mug', '/shops/guest-test-shop', '/cart']) {
      const res = await guest.get(url).expect(200);
      expect(setCookies(res).filter((c) => c.startsWith('agora.sid=')), url).to.deep.equal([]);
    }
    expect(await sessionCount(t)).to.equal(rowsBefore);

    const product = await guest.get('/products/guest-test-mug').expect(200);
    const id = /name="product_id" value="(\d+)"/.exec(product.text)![1];
    // Without the token the form is refused; with it the guest's first add makes the session (and only then).
    await t.agent().post('/cart/items').type('form').send({ product_id: id, quantity: '1' }).expect(403);
    const added = await guest.post('/cart/items').type('form').send({ _csrf: csrfFrom(product.text), product_id: id, quantity: '1' });
    expect(added.status).to.equal(303);
    expect(setCookies(added).some((c) => c.startsWith('agora.sid='))).to.equal(true);
    expect(await sessionCount(t)).to.equal(rowsBefore + 1);
    expect((await guest.get('/cart').expect(200)).text).to.contain('Guest test mug');
  });
});

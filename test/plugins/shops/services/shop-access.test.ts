import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, csrfFrom, loginAsAdmin, type TestApp } from '../../../helpers/app';
import { pluginModule, sellerWithShop } from '../catalog-helpers';
import { shopModels } from '../shop-models';

type Access = typeof import('../../../../plugins/shops/services/shop-access');

describe('shops: who runs which shop', () => {
  let t: TestApp;
  let access: Access;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
    access = await pluginModule<Access>('services/shop-access.ts');
  });
  after(async () => t.close());

  it('knows the shops a person is a member of', async () => {
    const a = await sellerWithShop(t);
    const b = await sellerWithShop(t);
    expect(await access.shopIdsOf(a.user.id)).to.deep.equal([a.shop.id]);
    expect(await access.isMember(a.user.id, a.shop.id)).to.equal(true);
    expect(await access.isMember(a.user.id, b.shop.id)).to.equal(false);
    await shopModels().ShopMember.create({ shop_id: b.shop.id, user_id: a.user.id, role: 'staff' });
    expect(await access.shopIdsOf(a.user.id)).to.deep.equal([a.shop.id, b.shop.id]);
    expect(await access.isMember(a.user.id, b.shop.id)).to.equal(true);
  });

  it('grants shops.shop.manage to members for their shop (and its products), to admins for every shop', async () => {
    const caps = t.platform.capabilities;
    const a = await sellerWithShop(t);
    const b = await sellerWithShop(t);
    const actor = { id: a.user.id, role: 'seller' as const };
    expect(await caps.can(actor, 'shops.shop.manage', a.shop)).to.equal(true);
    expect(await caps.can(actor, 'shops.shop.manage', { shop_id: a.shop.id })).to.equal(true);
    expect(await caps.can(actor, 'shops.shop.manage', a.shop.id)).to.equal(true);
    expect(await caps.can(actor, 'shops.shop.manage', b.shop)).to.equal(false);
    expect(await caps.can(actor, 'shops.shop.manage', { shop_id: b.shop.id })).to.equal(false);
    expect(await caps.can(actor, 'shops.shop.manage')).to.equal(false);
    const { user: admin } = await createUser({ role: 'admin' });
    expect(await caps.can({ id: admin.id, role: 'admin' }, 'shops.shop.manage', b.shop)).to.equal(true);
  });

  it('lets customers, sellers and moderators open a shop, and only admins post announcements', async () => {
    const caps = t.platform.capabilities;
    for (const role of ['customer', 'seller', 'moderator', 'admin'] as const) {
      expect(await caps.can({ id: 1, role }, 'shops.shop.open'), role).to.equal(true);
      expect(await caps.can({ id: 1, role }, 'shops.announcements.manage'), role).to.equal(role === 'admin');
    }
  });

  it('sends an admin without a shop from /seller to /seller/open, and refuses a POST there with 404', async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const res = await admin.get('/seller/products').expect(302);
    expect(res.headers.location).to.equal('/seller/open');
    const token = csrfFrom((await admin.get('/seller/open').expect(200)).text);
    await admin.post('/seller/products/1/publish').type('form').send({ _csrf: token }).expect(404);
  });

  it('sums the shop\'s orders on the dashboard in one query: orders, to ship, awaiting payment, sales less refunds', async () => {
    const { agent, shop, user } = await sellerWithShop(t);
    const other = await sellerWithShop(t);
    const q = t.platform.sequelize.getQueryInterface();
    const now = new Date();
    await q.bulkInsert('checkout_groups', [{ reference: 'G-TEST-1', buyer_id: user.id, email: 'b@example.test', currency: 'EUR', total: 1, gateway: 'manual', status: 'paid', created_at: now, updated_at: now }]);
    const [{ id: groupId }] = await t.platform.sequelize.query<{ id: number }>("SELECT id FROM checkout_groups WHERE reference = 'G-TEST-1'", { type: QueryTypes.SELECT });
    const order = (n: number, shopId: number, status: string, total: number, refunded = 0) => ({
      number: `T-${n}`, group_id: groupId, shop_id: shopId, buyer_id: null, status, currency: 'EUR', subtotal: total, shipping_total: 0, total, platform_fee: 0,
      refunded_total: refunded, shipping_method: 'Post', email: 'b@example.test', ship_name: 'B', ship_line1: 'Street 1', ship_line2: '', ship_city: 'Porto',
      ship_postcode: '4000', ship_country: 'PT', phone: '', created_at: now, updated_at: now,
    });
    await q.bulkInsert('orders', [
      order(1, shop.id, 'paid', 2000),
      order(2, shop.id, 'shipped', 3000),
      order(3, shop.id, 'completed', 5000, 1000),
      order(4, shop.id, 'pending', 7000),
      order(5, other.shop.id, 'paid', 99900),
    ]);
    const res = await agent.get('/seller').expect(200);
    expect(res.text).to.match(/<h2>Orders<\/h2><p class="stat-number">4<\/p>/);
    expect(res.text).to.contain('1 to ship · 1 awaiting payment');
    expect(res.text).to.contain('€90.00');
    expect(res.text).to.contain('href="/seller/orders"');
  });
});

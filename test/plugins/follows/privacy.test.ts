import { expect } from 'chai';
import { startTestApp, createUser, type TestApp } from '../../helpers/app';
import { makeProduct, makeShop, pluginModule } from '../shops/order-helpers';
import { countRows, followsModels } from './follows-helpers';

type ProductServiceModule = typeof import('../../../plugins/shops/services/product-service');

describe('follows: privacy (export and erasure of follows, notifications and settings; declarations)', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'follows'] });
  });
  after(async () => t.close());

  it("exports a person's follows, notifications and email choices, and erases them all, leaving others' rows", async () => {
    const { shop } = await makeShop(t, { name: 'Private Shop' });
    const { user } = await createUser({ email: 'private.follower@example.test' });
    const { user: neighbour } = await createUser();
    const { Follow, Preference, Favourite } = await followsModels();
    await Follow.create({ user_id: user.id, shop_id: shop.id, email_enabled: false });
    await Follow.create({ user_id: neighbour.id, shop_id: shop.id });
    await Preference.create({ user_id: user.id, email_enabled: false });
    const product = await makeProduct(t, shop, { title: 'Secret candle', status: 'draft' });
    const { ProductService } = await pluginModule<ProductServiceModule>('services/product-service.ts');
    await new ProductService(t.config.uploadsDir, t.platform.hooks).setStatus(shop, product.id, 'published');
    await t.platform.jobs.idle(20_000);
    await Favourite.create({ user_id: user.id, product_id: product.id, shop_id: shop.id });

    // Asked for by email alone, as a request from the rights page is.
    const exported = await t.platform.privacy.exportPerson('private.follower@example.test');
    const section = exported.sections.find((s) => s.owner === 'follows')!;
    expect(section.error).to.equal(undefined);
    const groups = section.items.map((i) => i.group);
    expect(groups).to.deep.equal(['Notification settings', 'Shops I follow', 'Favourites', 'Notifications']);
    expect(section.items[0].data).to.deep.equal({ 'Email about shops I follow': 'off', 'Email about my favourites': 'on' });
    expect(section.items[1].data).to.include({ shop: 'Private Shop', emails: 'off' });
    expect(section.items[2].data).to.include({ product: 'Secret candle' });
    expect(section.items[3].data).to.include({ what: 'new product', product: 'Secret candle', read: 'unread', email: 'off' });

    const erased = await t.platform.privacy.erasePerson({ email: user.email, userId: user.id });
    const report = erased.sections.find((s) => s.owner === 'follows')!;
    expect(report.error).to.equal(undefined);
    expect(report.removed).to.deep.equal(['1 followed shops', '1 notifications', 'notification settings', '1 favourites']);
    expect(report.retained).to.deep.equal([]);
    for (const table of ['follows_follows', 'follows_notifications', 'follows_preferences', 'follows_favourites']) expect(await countRows(t, table, 'user_id = ?', [user.id]), table).to.equal(0);
    expect(await countRows(t, 'follows_follows', 'user_id = ?', [neighbour.id])).to.equal(1);
    expect(await countRows(t, 'follows_notifications', 'user_id = ?', [neighbour.id])).to.equal(1);
  });

  it('declares how long notifications are kept and why follows are processed, and the retention rule removes old ones', async () => {
    const retention = t.platform.privacy.retentions().find((r) => r.kind === 'follows.notifications');
    expect(retention?.defaultDays).to.equal(365);
    expect(t.platform.privacy.processings().some((p) => p.owner === 'follows' && p.legalBasis === 'consent')).to.equal(true);
    const { shop } = await makeShop(t, { name: 'Old Shop' });
    const { user } = await createUser();
    const { Follow } = await followsModels();
    await Follow.create({ user_id: user.id, shop_id: shop.id, email_enabled: false });
    const product = await makeProduct(t, shop, { title: 'Old news', status: 'draft' });
    const { ProductService } = await pluginModule<ProductServiceModule>('services/product-service.ts');
    await new ProductService(t.config.uploadsDir, t.platform.hooks).setStatus(shop, product.id, 'published');
    await t.platform.jobs.idle(20_000);
    const done = await countRows(t, 'follows_notifications', "email_status <> 'pending'");
    const waiting = await countRows(t, 'follows_notifications', "email_status = 'pending'");
    expect(done).to.be.greaterThan(0);
    expect(waiting).to.be.greaterThan(0);
    const outcome = await retention!.apply(new Date(Date.now() + 60_000));
    // An email still waiting for its window is not taken from under it.
    expect(outcome.removed).to.equal(done);
    expect(await countRows(t, 'follows_notifications')).to.equal(waiting);
  });
});

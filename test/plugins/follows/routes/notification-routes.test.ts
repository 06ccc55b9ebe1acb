import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, login, type TestApp } from '../../../helpers/app';
import { makeProduct, makeShop, pluginModule } from '../../shops/order-helpers';
import { countRows, postFrom } from '../follows-helpers';
import type { Shop } from '../../../../plugins/shops/models/shop';

type ProductServiceModule = typeof import('../../../../plugins/shops/services/product-service');

describe('follows: /account/notifications and the unread count in the header', function () {
  this.timeout(60_000);
  let t: TestApp;
  let shop: Shop;
  let reader: { id: number; agent: ReturnType<TestApp['agent']> };
  let other: { id: number; agent: ReturnType<TestApp['agent']> };

  const publish = async (title: string) => {
    const product = await makeProduct(t, shop, { title, price: 1990, status: 'draft' });
    const { ProductService } = await pluginModule<ProductServiceModule>('services/product-service.ts');
    await new ProductService(t.config.uploadsDir, t.platform.hooks).setStatus(shop, product.id, 'published');
    return product;
  };
  const person = async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.username, password);
    return { id: user.id, agent };
  };

  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'follows'] });
    ({ shop } = await makeShop(t, { name: 'Bell Shop' }));
    reader = await person();
    other = await person();
    await postFrom(reader.agent, `/shops/${shop.slug}`, `/follows/shops/${shop.id}/follow`);
  });
  after(async () => t.close());

  it('shows no count before anything happened, then the number of unread notifications on every page', async () => {
    const empty = await reader.agent.get('/').expect(200);
    expect(empty.text).to.contain('class="follows-bell" href="/account/notifications">Notifications</a>');
    await publish('Cow bell');
    await publish('Sleigh bell');
    await t.platform.jobs.idle(20_000);
    const page = await reader.agent.get('/products').expect(200);
    expect(page.text).to.contain('<span class="follows-bell-count">2</span>');
    // Someone who follows nothing sees no count; a guest sees no link.
    expect((await other.agent.get('/').expect(200)).text).to.not.contain('follows-bell-count');
    expect((await t.agent().get('/').expect(200)).text).to.not.contain('follows-bell');
  });

  it('lists the notifications, newest first, the unread ones marked, each naming the shop and the price', async () => {
    const res = await reader.agent.get('/account/notifications').expect(200);
    const sleigh = res.text.indexOf('Sleigh bell');
    const cow = res.text.indexOf('Cow bell');
    expect(sleigh).to.be.greaterThan(-1);
    expect(cow).to.be.greaterThan(sleigh);
    expect(res.text.match(/follows-notification follows-unread/g)).to.have.length(2);
    expect(res.text).to.contain('Bell Shop');
    expect(res.text).to.contain('€19.90');
  });

  it('opening one marks it read and goes to the product; another person cannot open it', async () => {
    const [row] = await t.platform.sequelize.query<{ id: number }>('SELECT id FROM follows_notifications WHERE user_id = ? ORDER BY id LIMIT 1', { replacements: [reader.id], type: QueryTypes.SELECT });
    await other.agent.get(`/account/notifications/${row.id}`).expect(404);
    const res = await reader.agent.get(`/account/notifications/${row.id}`).expect(303);
    expect(res.headers.location).to.match(/^\/products\/cow-bell/);
    expect(await countRows(t, 'follows_notifications', 'user_id = ? AND read_at IS NULL', [reader.id])).to.equal(1);
    expect((await reader.agent.get('/').expect(200)).text).to.contain('<span class="follows-bell-count">1</span>');
  });

  it('marks all as read with one button (a form with CSRF)', async () => {
    const res = await postFrom(reader.agent, '/account/notifications', '/account/notifications/read');
    expect(res.status).to.equal(303);
    expect(await countRows(t, 'follows_notifications', 'user_id = ? AND read_at IS NULL', [reader.id])).to.equal(0);
    const page = await reader.agent.get('/account/notifications').expect(200);
    expect(page.text).to.not.contain('follows-unread');
    expect(page.text).to.not.contain('Mark all as read');
    expect((await reader.agent.get('/').expect(200)).text).to.not.contain('follows-bell-count');
  });
});

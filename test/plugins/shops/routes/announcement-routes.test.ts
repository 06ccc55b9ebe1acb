import { expect } from 'chai';
import { startTestApp, createUser, login, loginAsAdmin, csrfFrom, type TestApp } from '../../../helpers/app';
import { sellerWithShop } from '../catalog-helpers';
import { shopModels } from '../shop-models';

describe('shops: announcements and the admin widget', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
  });
  after(async () => t.close());

  it('lets the admin post an announcement that every seller sees on the dashboard, and delete it', async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const page = await admin.get('/admin/announcements').expect(200);
    expect(page.text).to.contain('href="/admin/announcements"');
    await admin.post('/admin/announcements').type('form').send({ _csrf: csrfFrom(page.text), title: 'Fees change in May', body: 'The platform fee goes to 4%.' }).expect(303);

    const { agent } = await sellerWithShop(t);
    const dashboard = await agent.get('/seller').expect(200);
    expect(dashboard.text).to.contain('Fees change in May');
    expect(dashboard.text).to.contain('The platform fee goes to 4%.');

    const [a] = await shopModels().Announcement.findAll();
    const list = await admin.get('/admin/announcements').expect(200);
    await admin.post(`/admin/announcements/${a.id}/delete`).type('form').send({ _csrf: csrfFrom(list.text) }).expect(303);
    expect(await shopModels().Announcement.count()).to.equal(0);
    expect((await agent.get('/seller').expect(200)).text).to.contain('No announcements from the marketplace yet.');
  });

  it('re-renders with 422 and posts nothing without a title or message', async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const page = await admin.get('/admin/announcements').expect(200);
    const res = await admin.post('/admin/announcements').type('form').send({ _csrf: csrfFrom(page.text), title: '', body: 'Body kept' }).expect(422);
    expect(res.text).to.contain('Enter a title');
    expect(res.text).to.contain('Body kept');
    expect(await shopModels().Announcement.count()).to.equal(0);
  });

  it('refuses the page and the form to sellers and moderators', async () => {
    const { agent } = await sellerWithShop(t);
    await agent.get('/admin/announcements').expect(403);
    const { user, password } = await createUser({ role: 'moderator' });
    const moderator = t.agent();
    await login(moderator, user.username, password);
    await moderator.get('/admin/announcements').expect(403);
    const token = csrfFrom((await moderator.get('/admin').expect(200)).text);
    await moderator.post('/admin/announcements').type('form').send({ _csrf: token, title: 'x', body: 'y' }).expect(403);
    expect(await shopModels().Announcement.count()).to.equal(0);
  });

  it('shows the number of shops and published products on the admin dashboard', async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const shops = await shopModels().Shop.count();
    const res = await admin.get('/admin').expect(200);
    expect(res.text).to.contain('Marketplace');
    expect(res.text).to.contain(`<strong>${shops}</strong> shops · <strong>0</strong> products published`);
  });
});

import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import type supertest from 'supertest';
import { startTestApp, loginAsAdmin, tokenFor, createUser, login, type TestApp } from '../../helpers/app';
import { tableExists } from './admin-actions';
import { createPluginContext } from '../../../core/plugins/context';
import { parseManifest } from '../../../core/plugins/manifest';

/** The example plugin `hello` (test/fixtures/plugins/hello) uses every part of ctx; `hello-friend` uses its service. */
describe('the example plugin (hello) and its friend', () => {
  let t: TestApp;
  let admin: supertest.Agent;
  before(async () => {
    t = await startTestApp({ plugins: ['hello', 'hello-friend'], fixtures: true });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  it('ran its migration on activation', async () => {
    expect(await tableExists(t, 'hello_greetings')).to.equal(true);
    const rows = await t.platform.sequelize.query<{ name: string }>("SELECT name FROM agora_migrations WHERE owner = 'hello'", { type: QueryTypes.SELECT });
    expect(rows.map((r) => r.name)).to.deep.equal(['0001-greetings', '0002-notes', '0003-referrals']);
  });

  it('serves its route with its view, its declared script, and its slot fill in the layout footer', async () => {
    const res = await t.agent().get('/hello').expect(200);
    expect(res.text).to.contain('Hello from the example plugin');
    expect(res.text).to.match(/<script src="\/plugins\/hello\/hello\.js\?v=[0-9a-f]+" nonce="[^"]+" defer><\/script>/);
    expect(res.text).to.contain('<p class="hello-footer">Hello from the hello plugin.</p>');
    expect(res.text, "hello-friend's fill of the slot on hello's page").to.contain('A friend says hi too.');
    const js = await t.agent().get('/plugins/hello/hello.js').expect(200);
    expect(js.text).to.contain("dataset.hello = 'ready'");
    const home = await t.agent().get('/').expect(200);
    expect(home.text, 'the script is declared for hello/ pages only').not.to.contain('/plugins/hello/hello.js');
    expect(home.text).to.contain('hello-footer');
  });

  it('validates its form: 422 with messages, then a saved row and a mail on success', async () => {
    const visitor = t.agent();
    let token = await tokenFor(visitor, '/hello');
    const bad = await visitor.post('/hello').type('form').send({ _csrf: token, name: '', email: 'not-an-email', message: 'hi' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Tell us your name').and.to.contain('Enter an email address');
    expect(bad.text, 'the form keeps what was typed').to.contain('value="not-an-email"');

    token = await tokenFor(visitor, '/hello');
    await visitor.post('/hello').type('form').send({ _csrf: token, name: 'Ann', email: 'ann@example.test', message: 'Lovely shop' }).expect(303).expect('Location', '/hello');
    const page = await visitor.get('/hello').expect(200);
    expect(page.text).to.contain('Thank you for your greeting.').and.to.contain('Lovely shop');
    await t.platform.jobs.idle();
    const [mail] = await t.platform.mailer.list(1);
    expect(mail.to_address).to.equal('ann@example.test');
    expect(mail.subject).to.equal('Thanks for your greeting');
    expect(mail.text_body).to.contain('Dear Ann');
  });

  it('defines settings that render as a form and change what its service says', async () => {
    const form = await admin.get('/admin/settings/hello').expect(200);
    expect(form.text).to.contain('Greeting word');
    let token = await tokenFor(admin, '/admin/settings/hello');
    await admin.post('/admin/settings/hello').type('form').send({ _csrf: token, greeting: '' }).expect(422);
    token = await tokenFor(admin, '/admin/settings/hello');
    await admin.post('/admin/settings/hello').type('form').send({ _csrf: token, greeting: 'Howdy' }).expect(303);
    const friend = await t.agent().get('/hello-friend').expect(200);
    expect(friend.text).to.contain('Howdy, friend!');
    expect(friend.text).to.contain('Howdy from the hello plugin.');
  });

  it('registers a capability that guards its admin page, its menu entry and its dashboard widget', async () => {
    expect(t.platform.capabilities.list().map((c) => c.capability)).to.include.members(['hello.greet', 'hello.manage']);
    const dashboard = await admin.get('/admin').expect(200);
    expect(dashboard.text).to.contain('<a href="/admin/hello">Greetings</a>');
    expect(dashboard.text).to.match(/class="hello-widget">\d+ greetings so far/);
    const list = await admin.get('/admin/hello').expect(200);
    expect(list.text).to.contain('ann@example.test');

    const { user, password } = await createUser({ role: 'moderator' });
    const moderator = t.agent();
    await login(moderator, user.email, password);
    const modDashboard = await moderator.get('/admin').expect(200);
    expect(modDashboard.text, 'no menu entry without the capability').not.to.contain('/admin/hello');
    expect(modDashboard.text).not.to.contain('hello-widget');
    await moderator.get('/admin/hello').expect(403);
  });

  it('shows its listeners on the admin hooks page, in run order', async () => {
    const page = await admin.get('/admin/hooks').expect(200);
    // Cells may carry attributes (data-label, for tables stacked on phones).
    const row = /<tr><td[^>]*><code>view\.core\.footer<\/code><\/td><td[^>]*>filter<\/td>([\s\S]*?)<\/tr>/.exec(page.text)?.[1];
    expect(row).to.contain('<li>hello <span class="muted small">priority 10</span></li>');
    expect(page.text).to.contain('<code>view.hello.page.after</code>');
  });

  it('declares its cookie with a consent category', () => {
    const cookie = t.platform.assets.allCookies().find((c) => c.name === 'hello_seen');
    expect(cookie).to.include({ owner: 'hello', consent: 'preferences' });
  });

  it('defines a job that runs in the background', async () => {
    await t.platform.jobs.enqueue('hello.record', { name: 'Job', email: 'job@example.test', message: 'from a job' });
    await t.platform.jobs.idle();
    const rows = await t.platform.sequelize.query<{ message: string }>("SELECT message FROM hello_greetings WHERE email = 'job@example.test'", { type: QueryTypes.SELECT });
    expect(rows.map((r) => r.message)).to.deep.equal(['from a job']);
  });

  it('provides a service that only declared dependants may use', async () => {
    const friend = await t.agent().get('/hello-friend').expect(200);
    expect(friend.text).to.match(/\d+ greetings so far/);
    const stranger = createPluginContext(t.platform, parseManifest({ name: 'stranger', version: '1.0.0', title: 'Stranger' }), '/nowhere', new Map([['hello', {}]]));
    expect(() => stranger.ctx.service('hello')).to.throw(/without declaring it in requires\.plugins/);
  });
});

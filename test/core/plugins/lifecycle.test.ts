import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import type supertest from 'supertest';
import { startTestApp, loginAsAdmin, tokenFor, createUser, login, type TestApp } from '../../helpers/app';
import { pluginAction, statusOnAdminPage, tableExists } from './admin-actions';

describe('plugin lifecycle through /admin/plugins', () => {
  let t: TestApp;
  let admin: supertest.Agent;
  before(async () => {
    t = await startTestApp({ plugins: [], fixtures: true });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  it('lists the fixture plugins as installed, not active, on a fresh start', async () => {
    expect(await statusOnAdminPage(admin, 'hello')).to.equal('installed');
    expect(await statusOnAdminPage(admin, 'hello-friend')).to.equal('installed');
    await t.agent().get('/hello').expect(404);
  });

  it('runs the migrations of a plugin when it is activated', async () => {
    expect(await tableExists(t, 'hello_greetings')).to.equal(false);
    const res = await pluginAction(admin, 'hello', 'activate');
    expect(res.status).to.equal(303);
    expect(await tableExists(t, 'hello_greetings')).to.equal(true);
    expect(await statusOnAdminPage(admin, 'hello')).to.equal('active');
  });

  it('activates and deactivates without a restart: the route answers, then 404s, then answers again', async () => {
    if (!t.platform.plugins.isActive('hello')) await pluginAction(admin, 'hello', 'activate');
    const visitor = t.agent();
    let page = await visitor.get('/hello').expect(200);
    expect(page.text).to.contain('Hello from the example plugin');
    expect((await visitor.get('/').expect(200)).text, 'its slot fill is in the footer').to.contain('hello-footer');

    const off = await pluginAction(admin, 'hello', 'deactivate');
    expect(off.status).to.equal(303);
    // Its pages answer 503 "temporarily unavailable" while it is off (test/core/plugins/deactivate-confirm.test.ts).
    await visitor.get('/hello').expect(503);
    await visitor.get('/plugins/hello/hello.js').expect(404);
    expect((await visitor.get('/').expect(200)).text, 'and its slot fill is gone').not.to.contain('hello-footer');
    const dashboard = await admin.get('/admin').expect(200);
    expect(dashboard.text, 'its menu entry is gone').not.to.contain('href="/admin/hello"');
    expect(t.platform.hooks.all().flatMap((h) => h.listeners).some((l) => l.owner === 'hello'), 'its listeners are gone').to.equal(false);

    await pluginAction(admin, 'hello', 'activate');
    page = await visitor.get('/hello').expect(200);
    expect(page.text).to.contain('Hello from the example plugin');
    expect((await admin.get('/admin').expect(200)).text).to.contain('href="/admin/hello"');
  });

  it('refuses to activate a plugin whose dependency is inactive, saying which', async () => {
    if (t.platform.plugins.isActive('hello')) await pluginAction(admin, 'hello', 'deactivate');
    const res = await pluginAction(admin, 'hello-friend', 'activate');
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('&#34;Hello Friend&#34; needs the plugin &#34;hello&#34; to be active first.');
    expect(await statusOnAdminPage(admin, 'hello-friend')).to.equal('installed');
    await t.agent().get('/hello-friend').expect(404);
  });

  it('refuses to deactivate a plugin that an active plugin needs, naming that plugin', async () => {
    await pluginAction(admin, 'hello', 'activate');
    expect((await pluginAction(admin, 'hello-friend', 'activate')).status).to.equal(303);
    expect((await t.agent().get('/hello-friend').expect(200)).text).to.contain('Hello, friend!');

    const res = await pluginAction(admin, 'hello', 'deactivate');
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('&#34;Hello&#34; is needed by &#34;Hello Friend&#34;; deactivate those first.');
    expect(await statusOnAdminPage(admin, 'hello')).to.equal('active');
    await t.agent().get('/hello').expect(200);
  });

  it('keeps which plugins are active in the database', async () => {
    const rows = await t.platform.sequelize.query<{ name: string; status: string }>('SELECT name, status FROM plugin_states ORDER BY name', { type: QueryTypes.SELECT });
    expect(rows.filter((r) => r.status === 'active').map((r) => r.name)).to.deep.equal(['hello', 'hello-friend']);
  });

  it('uninstalls only after the admin types the name, and drops the plugin tables', async () => {
    await pluginAction(admin, 'hello-friend', 'deactivate');
    await pluginAction(admin, 'hello', 'deactivate');
    await t.platform.sequelize.query("INSERT INTO hello_greetings (name, email, message, created_at) VALUES ('Ann', 'ann@example.test', 'hi', ?)", { replacements: [new Date()] });

    const form = await admin.get('/admin/plugins/hello/uninstall').expect(200);
    expect(form.text).to.contain('Type hello to confirm');
    const token = await tokenFor(admin, '/admin/plugins/hello/uninstall');
    const wrong = await admin.post('/admin/plugins/hello/uninstall').type('form').send({ _csrf: token, confirm: 'helo' });
    expect(wrong.status).to.equal(422);
    expect(wrong.text).to.contain('Type &#34;hello&#34; to confirm');
    expect(await tableExists(t, 'hello_greetings'), 'nothing was removed').to.equal(true);

    const right = await admin.post('/admin/plugins/hello/uninstall').type('form').send({ _csrf: token, confirm: 'hello' });
    expect(right.status).to.equal(303);
    expect(await tableExists(t, 'hello_greetings')).to.equal(false);
    const migrations = await t.platform.sequelize.query("SELECT name FROM agora_migrations WHERE owner = 'hello'", { type: QueryTypes.SELECT });
    expect(migrations).to.have.length(0);
    expect(await statusOnAdminPage(admin, 'hello')).to.equal('installed');

    // It can come back, with a fresh table.
    await pluginAction(admin, 'hello', 'activate');
    expect(await tableExists(t, 'hello_greetings')).to.equal(true);
    const [row] = await t.platform.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM hello_greetings', { type: QueryTypes.SELECT });
    expect(Number(row.n)).to.equal(0);
  });

  it('refuses to uninstall an active plugin', async () => {
    if (!t.platform.plugins.isActive('hello')) await pluginAction(admin, 'hello', 'activate');
    const token = await tokenFor(admin, '/admin/plugins/hello/uninstall');
    const res = await admin.post('/admin/plugins/hello/uninstall').type('form').send({ _csrf: token, confirm: 'hello' });
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('Deactivate &#34;Hello&#34; before uninstalling it.');
    expect(await tableExists(t, 'hello_greetings')).to.equal(true);
  });

  it('activates a plugin once when two admins press Activate at the same time', async () => {
    if (t.platform.plugins.isActive('hello-friend')) await pluginAction(admin, 'hello-friend', 'deactivate');
    if (t.platform.plugins.isActive('hello')) await pluginAction(admin, 'hello', 'deactivate');
    const other = t.agent();
    await loginAsAdmin(other);
    const [a, b] = await Promise.all([pluginAction(admin, 'hello', 'activate'), pluginAction(other, 'hello', 'activate')]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    expect(t.platform.hooks.listeners('view.core.footer').filter((l) => l.owner === 'hello')).to.have.length(1);
    expect(t.platform.admin.menu().filter((m) => m.owner === 'hello')).to.have.length(1);
  });

  it('picks up what another instance changed in the database (active plugins, theme) on sync', async () => {
    if (!t.platform.plugins.isActive('hello')) await pluginAction(admin, 'hello', 'activate');
    if (t.platform.plugins.isActive('hello-friend')) await pluginAction(admin, 'hello-friend', 'deactivate');
    // Another instance deactivates hello and switches the theme: it writes the same rows this one reads.
    await t.platform.sequelize.query("UPDATE plugin_states SET status = 'inactive' WHERE name = 'hello'");
    const stored = JSON.stringify('storefront-night');
    const [, found] = await t.platform.sequelize.query("UPDATE options SET value = ? WHERE key = 'theme.active'", { replacements: [stored], type: QueryTypes.UPDATE });
    if (!found) await t.platform.sequelize.query("INSERT INTO options (key, value, updated_at) VALUES ('theme.active', ?, ?)", { replacements: [stored, new Date()] });
    await t.agent().get('/hello').expect(200);

    await t.platform.plugins.sync();
    await t.agent().get('/hello').expect(503);
    expect((await t.agent().get('/nothing').expect(404)).text).to.contain('Lost in the night');

    await t.platform.sequelize.query("UPDATE plugin_states SET status = 'active' WHERE name = 'hello'");
    await t.platform.plugins.sync();
    await t.agent().get('/hello').expect(200);
    await t.platform.themes.activate('storefront');
  });

  it('keeps plugin management for admins: a customer gets 403, a visitor is sent to log in', async () => {
    await t.agent().get('/admin/plugins').expect(302).expect('Location', '/login?next=%2Fadmin%2Fplugins');
    const { user, password } = await createUser({ role: 'customer' });
    const customer = t.agent();
    await login(customer, user.email, password);
    await customer.get('/admin/plugins').expect(403);
    const token = await tokenFor(customer, '/');
    await customer.post('/admin/plugins/hello/deactivate').type('form').send({ _csrf: token }).expect(403);
    expect(t.platform.plugins.isActive('hello')).to.equal(true);
  });
});

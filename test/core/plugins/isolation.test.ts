import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, loginAsAdmin, type TestApp } from '../../helpers/app';
import { pluginAction, statusOnAdminPage } from './admin-actions';

/** The `fragile` fixture's own action and filter listeners throw on the page it renders. */
describe('a plugin whose listeners throw', () => {
  let t: TestApp;
  let admin: supertest.Agent;
  before(async () => {
    t = await startTestApp({ plugins: ['fragile', 'fragile-fan', 'hello'], fixtures: true });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  it('still answers its page with 200, with the filter value passed on unchanged', async () => {
    const res = await t.agent().get('/fragile').expect(200);
    expect(res.text).to.contain('<h1 class="fragile-title">Fragile page</h1>');
    expect(t.platform.hooks.recentFailures.map((f) => [f.owner, f.hook])).to.deep.include.members([
      ['fragile', 'fragile.page.viewed'],
      ['fragile', 'fragile.page.title'],
    ]);
  });

  it('is suspended for everyone after repeated failures, and the admin is told which plugin, hook and error', async () => {
    // Each visit fails twice; the default limit is five failures a minute.
    for (let i = 0; i < 3; i++) await t.agent().get('/fragile');
    await until(() => t.platform.plugins.get('fragile')?.status === 'suspended');

    // Its pages answer 503 "temporarily unavailable" while it is off.
    await t.agent().get('/fragile').expect(503);
    await admin.get('/fragile').expect(503);
    await t.agent().get('/hello').expect(200);
    // What needs it goes down with it, rather than failing on every request.
    expect(t.platform.plugins.get('fragile-fan')).to.include({ status: 'suspended', problem: 'Suspended because "Fragile", which it needs, was suspended.' });
    await t.agent().get('/fragile-fan').expect(503);

    const dashboard = await admin.get('/admin').expect(200);
    expect(dashboard.text).to.contain('<strong>Fragile</strong> (suspended)');
    expect(dashboard.text).to.match(/Suspended after repeated failures in &#34;fragile\.page\.(viewed|title)&#34;: the (view counter|title filter) is broken/);
    expect(await statusOnAdminPage(admin, 'fragile')).to.equal('suspended');
    const plugins = await admin.get('/admin/plugins').expect(200);
    expect(plugins.text).to.match(/<tr data-plugin="fragile">[\s\S]*?Suspended after repeated failures in &#34;fragile\.page/);
  });

  it('stays suspended after a restart, until the admin activates it again', async () => {
    await t.stop();
    t = await startTestApp({ reuse: { dataDir: t.dataDir, db: t.db }, fixtures: true });
    admin = t.agent();
    await loginAsAdmin(admin);
    expect(t.platform.plugins.get('fragile')?.status).to.equal('suspended');
    // Its pages were remembered at activation (plugin_states.pages), so after a restart they still say
    // "temporarily unavailable" rather than "not found".
    await t.agent().get('/fragile').expect(503);
    await t.agent().get('/hello').expect(200);

    expect((await pluginAction(admin, 'fragile', 'activate')).status).to.equal(303);
    expect(await statusOnAdminPage(admin, 'fragile')).to.equal('active');
    await t.agent().get('/fragile').expect(200);
    expect((await pluginAction(admin, 'fragile-fan', 'activate')).status).to.equal(303);
    await t.agent().get('/fragile-fan').expect(200);
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

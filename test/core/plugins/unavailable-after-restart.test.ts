import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, loginAsAdmin, tokenFor, type TestApp } from '../../helpers/app';
import { pluginAction } from './admin-actions';

/** Issue 8, item 4: a deactivated plugin's pages answer 503 after a restart too (they were 404); uninstalled, 404. */
describe('a deactivated plugin’s pages across a restart', function () {
  this.timeout(60_000);
  let t: TestApp;
  const restart = async () => {
    await t.stop();
    t = await startTestApp({ fixtures: true, reuse: { dataDir: t.dataDir, db: t.db } });
  };
  const admin = async (): Promise<supertest.Agent> => {
    const agent = t.agent();
    await loginAsAdmin(agent);
    return agent;
  };
  before(async () => {
    t = await startTestApp({ plugins: ['hello'], fixtures: true });
  });
  after(async () => t.close());

  it('keeps answering 503 with the themed page after a restart, for each page the plugin served', async () => {
    await t.agent().get('/hello').expect(200);
    expect((await pluginAction(await admin(), 'hello', 'deactivate')).status).to.equal(303);
    await t.agent().get('/hello').expect(503);

    await restart();
    expect(t.platform.plugins.isActive('hello')).to.equal(false);
    for (const url of ['/hello', '/hello/picture', '/hello/notes', '/hello/notes/0b6c4c8e-4d2e-4f7a-9d0e-1a2b3c4d5e6f']) {
      const res = await t.agent().get(url);
      expect(res.status, url).to.equal(503);
      expect(res.text, url).to.contain('temporarily unavailable');
    }
    // A parameterised address matches as Express matched it; an address hello never served is still 404.
    await t.agent().get('/no-such-page').expect(404);
    await t.agent().get('/hellothere').expect(404);
    await t.agent().get('/hello/notes/a/b/c').expect(404);
  });

  it('serves the pages again once reactivated, and after another restart', async () => {
    expect((await pluginAction(await admin(), 'hello', 'activate')).status).to.equal(303);
    await t.agent().get('/hello').expect(200);
    await restart();
    await t.agent().get('/hello').expect(200);
  });

  it('answers 404 once the plugin is uninstalled, before and after a restart', async () => {
    let agent = await admin();
    expect((await pluginAction(agent, 'hello', 'deactivate')).status).to.equal(303);
    await restart();
    await t.agent().get('/hello').expect(503);
    agent = await admin();
    const token = await tokenFor(agent, '/admin/plugins/hello/uninstall');
    await agent.post('/admin/plugins/hello/uninstall').type('form').send({ _csrf: token, confirm: 'hello' }).expect(303);
    await t.agent().get('/hello').expect(404);
    await restart();
    await t.agent().get('/hello').expect(404);
    await t.agent().get('/hello/picture').expect(404);
  });
});

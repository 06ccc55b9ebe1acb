import { expect } from 'chai';
import { startTestApp, loginAsAdmin, type TestApp } from '../helpers/app';

describe('the app starts', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [] });
  });
  after(async () => t.close());

  it('answers /healthz with the database state', async () => {
    const res = await t.agent().get('/healthz').expect(200);
    expect(res.body.database.state).to.equal('up');
  });

  it('lets the admin log in and open the admin panel', async () => {
    const agent = t.agent();
    await loginAsAdmin(agent);
    const res = await agent.get('/admin/plugins').expect(200);
    expect(res.text).to.contain('Install a plugin');
  });
});

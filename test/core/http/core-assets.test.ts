import { expect } from 'chai';
import { startTestApp, loginAsAdmin, type TestApp } from '../../helpers/app';

describe("core's own assets in public/, served at /assets", () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [] });
  });
  after(async () => t.close());

  it('serves the admin styles, script and icon with long cache lifetimes', async () => {
    const agent = t.agent();
    const css = await agent.get('/assets/admin.css').expect(200);
    expect(css.headers['content-type']).to.match(/text\/css/);
    expect(css.text).to.contain('.admin-nav');
    expect(css.headers['cache-control']).to.contain('immutable');
    expect((await agent.get('/assets/admin.js').expect(200)).headers['content-type']).to.match(/javascript/);
    expect((await agent.get('/assets/icons/agora.svg').expect(200)).headers['content-type']).to.match(/svg/);
  });

  it('admin pages load them (the script with the page nonce), other pages do not', async () => {
    const agent = t.agent();
    await loginAsAdmin(agent);
    const admin = await agent.get('/admin/plugins').expect(200);
    expect(admin.text).to.contain('href="/assets/admin.css');
    expect(admin.text).to.match(/<script src="\/assets\/admin\.js[^"]*" nonce="[^"]+" defer>/);
    const home = await agent.get('/').expect(200);
    expect(home.text).to.not.contain('/assets/admin.js');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startTestApp, login, loginAsAdmin, type TestApp } from '../helpers/app';
import { rootDir } from '../../core/config';
import { DEFAULT_PLUGINS } from '../../core/create-platform';
import { DEMO_BUYER } from '../../plugins/shops/demo-orders';
import { shopModels } from '../plugins/shops/shop-models';

/** Every plugin that ships in plugins/. */
function bundledPlugins(): string[] {
  const dir = path.join(rootDir, 'plugins');
  return fs.readdirSync(dir).filter((name) => fs.existsSync(path.join(dir, name, 'plugin.json')));
}

describe('a fresh install: every bundled plugin active, demo data seeded', function () {
  this.timeout(120_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: DEFAULT_PLUGINS, env: { DEMO_SEED: '1' }, freshMigrations: true });
  });
  after(async () => t.close());

  it('activates each of the seven bundled plugins, none in error', async () => {
    expect([...DEFAULT_PLUGINS].sort()).to.deep.equal(bundledPlugins().sort());
    for (const name of DEFAULT_PLUGINS) expect(t.platform.plugins.isActive(name), name).to.equal(true);
  });

  it('serves the shopper pages of every plugin to a guest', async () => {
    const agent = t.agent();
    const home = await agent.get('/').expect(200);
    // gdpr's footer, newsletter's signup and messaging's store contact are on every page.
    expect(home.text).to.include('/privacy/rights');
    expect(home.text).to.include('/contact');
    const { Product } = shopModels();
    const product = (await Product.findOne({ where: { status: 'published' }, order: [['id', 'ASC']] }))!;
    const page = await agent.get(`/products/${product.slug}`).expect(200);
    expect(page.text).to.match(/Follow/);
    for (const url of ['/products', '/shops', '/register', '/contact', '/newsletter', '/privacy/rights', '/privacy/cookies', '/privacy/policies']) {
      const res = await agent.get(url);
      expect(res.status, url).to.equal(200);
    }
    // Registration asks for the policies gdpr created, unticked.
    const register = await agent.get('/register').expect(200);
    expect(register.text).to.match(/type="checkbox"[^>]*gdpr/);
  });

  it('lets the demo buyer see what the plugins seeded for them', async () => {
    const agent = t.agent();
    await login(agent, DEMO_BUYER.email, DEMO_BUYER.password);
    for (const url of ['/account', '/account/orders', '/account/messages', '/account/following', '/account/notifications', '/account/reviews', '/account/privacy']) {
      const res = await agent.get(url);
      expect(res.status, url).to.equal(200);
    }
    const following = await agent.get('/account/following').expect(200);
    expect(following.text).to.match(/Unfollow/);
  });

  it('opens every plugin admin page to the admin', async () => {
    const agent = t.agent();
    await loginAsAdmin(agent);
    for (const url of ['/admin', '/admin/plugins', '/admin/reviews', '/admin/messages', '/admin/newsletter', '/admin/stripe', '/admin/privacy/policies', '/admin/privacy/requests', '/admin/privacy/consents']) {
      const res = await agent.get(url);
      expect(res.status, url).to.equal(200);
    }
  });
});

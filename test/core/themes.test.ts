import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, loginAsAdmin, tokenFor, createUser, login, type TestApp } from '../helpers/app';
import { rootDir } from '../../core/config';
import { parseManifest } from '../../core/plugins/manifest';
import { pluginAction } from './plugins/admin-actions';

async function switchTheme(agent: supertest.Agent, name: string): Promise<supertest.Response> {
  const token = await tokenFor(agent, '/admin/themes');
  return agent.post(`/admin/themes/${name}/activate`).type('form').send({ _csrf: token });
}

/** Which file each template resolves to right now. */
function resolution(t: TestApp, templates: string[]): Record<string, string> {
  return Object.fromEntries(templates.map((n) => [n, path.relative(rootDir, t.platform.resolver.resolve(n).file)]));
}

describe('themes and template lookup', () => {
  let t: TestApp;
  let admin: supertest.Agent;
  before(async () => {
    t = await startTestApp({ plugins: ['hello', 'hello-friend'], fixtures: true });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());
  afterEach(async () => {
    if (t.platform.themes.activeName() !== 'storefront') await t.platform.themes.activate('storefront');
  });

  it('switches the theme from /admin/themes, for every visitor', async () => {
    const list = await admin.get('/admin/themes').expect(200);
    expect(list.text).to.contain('data-theme="storefront-night"').and.to.contain('Child of storefront');
    const res = await switchTheme(admin, 'storefront-night');
    expect(res.status).to.equal(303);
    expect((await admin.get('/admin/themes')).text).to.contain('&#34;Storefront Night&#34; is now the active theme.');
    const home = await t.agent().get('/').expect(200);
    // Parent styles first, then the child's, so the child's rules win.
    const sheets = [...home.text.matchAll(/<link rel="stylesheet" href="([^"?]+)\?v=[0-9a-f]{12}">/g)].map((m) => m[1]);
    expect(sheets).to.deep.equal(['/themes/storefront/site.css', '/themes/storefront-night/site.css']);
    const css = await t.agent().get('/themes/storefront-night/site.css').expect(200);
    expect(css.headers['cache-control']).to.match(/max-age=31536000/);
    expect(t.platform.options.get('theme.active', '')).to.equal('storefront-night');
  });

  it('uses the override in the active theme: storefront-night draws the 404 page', async () => {
    const plain = await t.agent().get('/no/such/page').expect(404);
    expect(plain.text).to.contain('Page not found').and.not.to.contain('Lost in the night');
    await switchTheme(admin, 'storefront-night');
    const night = await t.agent().get('/no/such/page').expect(404);
    expect(night.text).to.contain('Lost in the night').and.to.contain('We could not find that page.');
  });

  it('falls back to the parent theme, then to the owner, for what a child theme does not override', async () => {
    await switchTheme(admin, 'storefront-night');
    const templates = ['core/not-found', 'core/layout', 'core/home', 'core/error', 'hello/page'];
    const expected = Object.fromEntries(
      templates.map((name) => {
        const [owner, rest] = name.split('/');
        const candidates = [
          `themes/storefront-night/views/${owner}/${rest}.ejs`,
          `themes/storefront/views/${owner}/${rest}.ejs`,
          owner === 'core' ? `views/core/${rest}.ejs` : `test/fixtures/plugins/${owner}/views/${rest}.ejs`,
        ];
        return [name, candidates.find((c) => fs.existsSync(path.join(rootDir, c)))!];
      }),
    );
    expect(expected['core/not-found']).to.equal('themes/storefront-night/views/core/not-found.ejs');
    expect(resolution(t, templates)).to.deep.equal(expected);
  });

  it('follows a chain of fixture themes: child ▸ parent ▸ core', async () => {
    expect((await switchTheme(admin, 'fixture-child')).status).to.equal(303);
    expect(resolution(t, ['core/not-found', 'core/home', 'core/layout'])).to.deep.equal({
      'core/not-found': 'test/fixtures/themes/fixture-child/views/core/not-found.ejs',
      'core/home': 'test/fixtures/themes/fixture-base/views/core/home.ejs',
      'core/layout': 'views/core/layout.ejs',
    });
    expect((await t.agent().get('/').expect(200)).text).to.contain('Home, as the fixture base theme draws it');
    expect((await t.agent().get('/nothing-here').expect(404)).text).to.contain('Nothing here (fixture child)');
    expect((await t.agent().get('/hello').expect(200)).text).to.contain('from the fixture child theme');
  });

  it('resolves the same files whatever order plugins were activated in', async () => {
    await switchTheme(admin, 'fixture-child');
    const templates = ['hello/page', 'hello/footer-note', 'hello-friend/page', 'core/home', 'core/not-found'];
    const before = resolution(t, templates);
    const pageBefore = (await t.agent().get('/hello').expect(200)).text;

    await pluginAction(admin, 'hello-friend', 'deactivate');
    await pluginAction(admin, 'hello', 'deactivate');
    // While hello is inactive its templates resolve to nothing, not to some other owner's.
    expect(() => t.platform.resolver.resolve('hello/page')).to.throw(/No active plugin or core part named "hello"/);
    await pluginAction(admin, 'hello', 'activate');
    await pluginAction(admin, 'hello-friend', 'activate');
    expect(resolution(t, templates)).to.deep.equal(before);

    // Theme switched while the plugins were off, then back: the same again.
    await pluginAction(admin, 'hello-friend', 'deactivate');
    await pluginAction(admin, 'hello', 'deactivate');
    await switchTheme(admin, 'storefront');
    await switchTheme(admin, 'fixture-child');
    await pluginAction(admin, 'hello', 'activate');
    await pluginAction(admin, 'hello-friend', 'activate');
    expect(resolution(t, templates)).to.deep.equal(before);
    const withoutNonce = (html: string) => html.replace(/nonce="[^"]+"/g, 'nonce=""');
    expect(withoutNonce((await t.agent().get('/hello').expect(200)).text), 'the page, slot fills included, is the same').to.equal(withoutNonce(pageBefore));
  });

  it('starts with the default theme when the stored one has become unusable', async () => {
    await t.platform.options.set('theme.active', 'fixture-orphan');
    t.platform.themes.load();
    expect(t.platform.resolver.themeChain().map((th) => th.name)).to.deep.equal(['storefront']);
    await t.agent().get('/').expect(200);
    await t.platform.options.set('theme.active', 'storefront');
  });

  it('refuses a plugin named like core, so no plugin can take over core templates', async () => {
    expect(() => parseManifest({ name: 'core', version: '1.0.0', title: 'Impostor' })).to.throw(/reserved/);
  });

  it('refuses a theme whose parent is missing, with a message instead of an error page', async () => {
    const res = await switchTheme(admin, 'fixture-orphan');
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('Theme &#34;Fixture Orphan&#34; cannot be used: its parent theme &#34;no-such-theme&#34; is not installed.');
    expect(t.platform.themes.activeName()).to.equal('storefront');
    await admin.post('/admin/themes/no-such-theme/activate').type('form').send({ _csrf: await tokenFor(admin, '/admin/themes') }).expect(404);
  });

  it('reports a stale override on /admin/themes/overrides, with what changed in the original', async () => {
    await switchTheme(admin, 'fixture-child');
    const res = await admin.get('/admin/themes/overrides').expect(200);
    const stale = /<article class="panel override outdated" data-template="hello\/page">([\s\S]*?)<\/article>/.exec(res.text)?.[1];
    expect(stale, 'hello/page is listed as outdated').to.exist;
    expect(stale).to.contain('in fixture-child').and.to.contain('outdated');
    expect(stale).to.contain('Override version 1.0.0 · original version 1.1.0');
    expect(stale).to.contain('override is version 1.0.0, the original is now 1.1.0; the original changed since it was copied');
    // The change since the copy: the original gained a slot and a form.
    expect(stale).to.contain('<span class="diff-added">+   &lt;%- slot(&#39;hello.page.after&#39;) %&gt;</span>');
    expect(stale).to.contain('<span class="diff-removed">- &lt;%# @version 1.0.0 %&gt;</span>');
    expect(stale).to.contain('<span class="diff-added">+ &lt;%# @version 1.1.0 %&gt;</span>');

    const fresh = /<article class="panel override" data-template="core\/not-found">([\s\S]*?)<\/article>/.exec(res.text)?.[1];
    expect(fresh, 'the up-to-date override is listed too').to.contain('up to date');
    expect(res.text, 'overrides of the parent theme are listed').to.contain('data-template="core/home"');
  });

  it('marks template files with ?debug=templates for admins only', async () => {
    const adminPage = await admin.get('/hello?debug=templates').expect(200);
    expect(adminPage.text).to.match(/<!-- template: hello\/page ← [^>]*test\/fixtures\/plugins\/hello\/views\/page\.ejs -->/);
    expect(adminPage.text).to.match(/<!-- template: core\/layout ← [^>]*views\/core\/layout\.ejs -->/);
    expect(adminPage.text).to.match(/<!-- template: hello\/footer-note ← /);
    expect(adminPage.text).to.contain('<!-- /template: hello/page -->');

    const visitor = await t.agent().get('/hello?debug=templates').expect(200);
    expect(visitor.text).not.to.contain('<!-- template:');
    const { user, password } = await createUser({ role: 'seller' });
    const seller = t.agent();
    await login(seller, user.email, password);
    expect((await seller.get('/hello?debug=templates').expect(200)).text).not.to.contain('<!-- template:');
    // And the normal render for the admin is unmarked again (no cached debug output).
    expect((await admin.get('/hello').expect(200)).text).not.to.contain('<!-- template:');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, loginAsAdmin, tokenFor, type TestApp } from '../helpers/app';
import { rootDir } from '../../core/config';
import { sellerWithShop } from '../plugins/shops/catalog-helpers';

/** The example child theme, as an admin uses it: listed, activated, its overrides on the pages and in the report. */
const CHILD = path.join(rootDir, 'themes', 'storefront-child');
const STALE = path.join(rootDir, 'test', 'fixtures', 'themes', 'fixture-stale-child');
const OVERRIDES = ['core/partials/footer', 'shops/shop'];

async function switchTheme(agent: supertest.Agent, name: string): Promise<supertest.Response> {
  const token = await tokenFor(agent, '/admin/themes');
  return agent.post(`/admin/themes/${name}/activate`).type('form').send({ _csrf: token });
}

/** The report's article for one template: its class (outdated or not) and its text. */
function reportEntry(html: string, template: string): { outdated: boolean; text: string } | undefined {
  const m = new RegExp(`<article class="panel override( outdated)?" data-template="${template.replace(/\//g, '\\/')}">([\\s\\S]*?)</article>`).exec(html);
  return m ? { outdated: Boolean(m[1]), text: m[2] } : undefined;
}

describe('themes/storefront-child: the example child theme', () => {
  let t: TestApp;
  let admin: supertest.Agent;
  before(async function () {
    this.timeout(90_000);
    t = await startTestApp({ plugins: ['shops'], fixtures: true });
    await sellerWithShop(t, { name: 'Child Test Pottery', slug: 'child-test-pottery' });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t?.close());

  it('is a child of storefront that overrides the shop page and the footer', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(CHILD, 'theme.json'), 'utf8'));
    expect(manifest).to.include({ name: 'storefront-child', parent: 'storefront' });
    for (const template of OVERRIDES) expect(fs.existsSync(path.join(CHILD, 'views', `${template}.ejs`)), template).to.equal(true);
  });

  it('shows in /admin/themes and, activated, changes the shop page and the footer', async () => {
    const list = await admin.get('/admin/themes').expect(200);
    expect(list.text).to.contain('data-theme="storefront-child"').and.contain('Child of storefront');

    const before = await t.agent().get('/shops/child-test-pottery').expect(200);
    expect(before.text).to.not.contain('child-shop-story').and.not.contain('Made by independent shops');

    expect((await switchTheme(admin, 'storefront-child')).status).to.equal(303);
    try {
      const shop = await t.agent().get('/shops/child-test-pottery').expect(200);
      // The overridden markup: the story panel below the products, the footer's own line.
      expect(shop.text).to.contain('<section class="panel child-shop-story" aria-labelledby="shop-story">');
      expect(shop.text).to.contain('The story of Child Test Pottery');
      expect(shop.text.indexOf('id="shop-products"')).to.be.lessThan(shop.text.indexOf('id="shop-story"'));
      expect(shop.text).to.contain('<footer class="site-footer child-footer">').and.contain('Made by independent shops');
      // A page the child does not override still comes from its owner, inside the child's footer.
      const home = await t.agent().get('/').expect(200);
      expect(home.text).to.contain('class="hero"').and.contain('child-footer');

      // The parent's CSS still loads, first; the child's after it, so its variables win.
      const sheets = [...shop.text.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]);
      const parent = sheets.findIndex((s) => s.startsWith('/themes/storefront/site.css'));
      const child = sheets.findIndex((s) => s.startsWith('/themes/storefront-child/site.css'));
      expect(parent, sheets.join(' ')).to.be.greaterThan(-1);
      expect(child).to.be.greaterThan(parent);
      const css = await t.agent().get(sheets[child]).expect(200);
      expect(css.text).to.match(/--accent:\s*#a4410e/);
      await t.agent().get(sheets[parent]).expect(200);
    } finally {
      await switchTheme(admin, 'storefront');
    }
    const after = await t.agent().get('/shops/child-test-pottery').expect(200);
    expect(after.text).to.not.contain('child-shop-story');
  });

  it('the override report lists both overrides, up to date (copy a changed original again to pass)', async () => {
    await switchTheme(admin, 'storefront-child');
    try {
      const report = await admin.get('/admin/themes/overrides').expect(200);
      for (const template of OVERRIDES) {
        const entry = reportEntry(report.text, template);
        expect(entry, `${template} is listed`).to.exist;
        expect(entry!.text).to.contain('in storefront-child');
        expect(entry!.outdated, `${template}: ${entry!.text.replace(/\s+/g, ' ').slice(0, 300)}`).to.equal(false);
      }
    } finally {
      await switchTheme(admin, 'storefront');
    }
  });

  it('flags an override whose original is newer (a fixture copy of the child with an older footer)', async () => {
    // The fixture is the child theme itself, except for the footer's version line.
    for (const template of OVERRIDES) {
      const real = fs.readFileSync(path.join(CHILD, 'views', `${template}.ejs`), 'utf8').split('\n');
      const copy = fs.readFileSync(path.join(STALE, 'views', `${template}.ejs`), 'utf8').split('\n');
      expect(copy.slice(1), `${template} in the fixture is a copy of the child's`).to.deep.equal(real.slice(1));
    }
    expect((await switchTheme(admin, 'fixture-stale-child')).status).to.equal(303);
    try {
      const report = await admin.get('/admin/themes/overrides').expect(200);
      const footer = reportEntry(report.text, 'core/partials/footer');
      const shop = reportEntry(report.text, 'shops/shop');
      expect(footer?.outdated, 'the footer is outdated').to.equal(true);
      expect(footer!.text).to.contain('Override version 0.9.0 · original version 1.0.0');
      expect(footer!.text).to.contain('override is version 0.9.0, the original is now 1.0.0');
      expect(shop?.outdated, 'the shop page is not').to.equal(false);
      // Still rendered: an outdated override is reported, not dropped.
      expect((await t.agent().get('/').expect(200)).text).to.contain('Made by independent shops');
    } finally {
      await switchTheme(admin, 'storefront');
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import yazl from 'yazl';
import { hasChromium } from '../helpers/browser';
import { fixturesDir } from '../helpers/app';
import { adminLogin, axe, describeFindings, keyboardSubmit, recordFailure, startJourneys, visit, type JourneyEnv } from './journey-helpers';

/** The example plugin of test/fixtures/plugins/hello as a site owner gets it: a .zip with the plugin's folder. */
function zipFolder(dir: string, as: string): Promise<Buffer> {
  const file = new yazl.ZipFile();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    file.addFile(full, `${as}/${path.relative(dir, full).split(path.sep).join('/')}`);
  }
  file.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    file.outputStream.on('data', (c: Buffer) => chunks.push(c));
    file.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    file.outputStream.on('error', reject);
  });
}

/** The site owner's journey (issue #16, journey 9): a plugin from a zip, the child theme, the override report. */
describe('journey of a site owner: a plugin from a zip, the child theme, the override report', function () {
  this.timeout(300_000);
  let env: JourneyEnv;
  before(async function () {
    if (!hasChromium) this.skip();
    env = await startJourneys('admin');
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await recordFailure(env, this.currentTest.title);
  });
  after(async () => env?.close());

  it('the axe-core check can fail: a page with a picture without text and a field without a label is reported', async () => {
    const page = await env.browser.newPage();
    await page.setContent('<!doctype html><html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text"></main></body></html>');
    const found = await axe(env, page, 'self-check', 'broken');
    env.findings.length = 0;
    expect(found.map((f) => f.rule)).to.include.members(['image-alt', 'label']);
    await page.close();
  });

  it('9. installs a plugin from a zip, activates it (keyboard only), switches to the child theme, sees the override report', async () => {
    const { page, context } = await adminLogin(env);
    await page.goto(`${env.url}/admin/plugins`);
    await visit(env, page, 'j9', 'admin-plugins');
    const zipPath = path.join(env.t.dataDir, 'hello.zip');
    fs.writeFileSync(zipPath, await zipFolder(path.join(fixturesDir, 'plugins', 'hello'), 'hello'));
    await page.getByLabel(/Plugin \.zip/).setInputFiles(zipPath);
    await page.getByRole('button', { name: 'Upload and install' }).click();
    await page.waitForLoadState('load');
    await visit(env, page, 'j9', 'plugin-uploaded');
    expect(fs.existsSync(path.join(env.t.config.installedPluginsDir, 'hello', 'plugin.json')), 'unpacked to DATA_DIR/plugins').to.equal(true);
    expect(env.t.platform.plugins.isActive('hello')).to.equal(false);

    // Activate with the keyboard.
    await keyboardSubmit(page, 'form[action="/admin/plugins/hello/activate"] button');
    await visit(env, page, 'j9', 'plugin-activated');
    expect(env.t.platform.plugins.isActive('hello'), 'hello is active').to.equal(true);
    await page.goto(`${env.url}/admin/hello`);
    await visit(env, page, 'j9', 'plugin-admin-page');
    expect((await page.goto(`${env.url}/admin/hello`))!.status()).to.equal(200);

    // The child theme: activated with the keyboard; the store wears its stylesheet and its templates.
    await page.goto(`${env.url}/admin/themes`);
    await visit(env, page, 'j9', 'admin-themes');
    await keyboardSubmit(page, 'form[action="/admin/themes/storefront-child/activate"] button');
    expect(env.t.platform.themes.active()?.name).to.equal('storefront-child');
    await page.goto(`${env.url}/`);
    await visit(env, page, 'j9', 'home-child-theme');
    expect(await page.locator('link[rel=stylesheet][href*="/themes/storefront-child/"]').count(), "the child theme's stylesheet").to.be.greaterThan(0);

    await page.goto(`${env.url}/admin/themes/overrides`);
    await visit(env, page, 'j9', 'override-report');
    const templates = await page.locator('article.override').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-template')}: ${e.querySelector('.badge')?.textContent?.trim()}`));
    expect(templates).to.include.members(['shops/shop: up to date', 'core/partials/footer: up to date']);
    await context.close();
  });

  it('every page this journey visited passes axe-core (WCAG 2.1 A and AA) and breaks no CSP rule', () => {
    expect(describeFindings(env.findings)).to.deep.equal([]);
    expect(env.cspErrors, 'CSP complaints').to.deep.equal([]);
  });
});

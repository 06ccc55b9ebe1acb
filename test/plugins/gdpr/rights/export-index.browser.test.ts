import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { hasChromium, startBrowserApp, type BrowserApp } from '../../../helpers/browser';
import { login, tokenFor } from '../../../helpers/app';
import { binary, unzip } from './rights-helpers';
import { EVERY_PLUGIN, openMarket, seedEveryPlugin } from './every-plugin-seed';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe('gdpr rights: the export archive’s index.html opens in a browser, fits 390 px, runs nothing and asks for nothing', function () {
  this.timeout(180_000);
  let b: BrowserApp;
  let dir: string;

  before(async function () {
    if (!hasChromium) this.skip();
    b = await startBrowserApp({ plugins: EVERY_PLUGIN });
    const market = await openMarket(b.t);
    const x = await seedEveryPlugin(b.t, market, 'x');
    const agent = b.t.agent();
    await login(agent, x.email, x.password);
    const csrf = await tokenFor(agent, '/privacy/rights');
    const res = await agent.post('/privacy/rights/export').type('form').send({ _csrf: csrf }).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    const files = await unzip(res.body as Buffer);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-export-'));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
  });
  after(async () => {
    await b?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const width of [390, 1280]) {
    it(`at ${width} px: no sideways scrolling, every kind of data reachable from the contents, no script, no request, no axe violation`, async () => {
      const context = await b.browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`file://${path.join(dir, 'index.html')}`);
      expect(await page.locator('h1').textContent()).to.match(/^Your data at /);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, 'the page scrolls sideways').to.be.at.most(0);
      // Every element stays inside the viewport (a long token or a wide list would stick out).
      const sticking = await page.evaluate((w) => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 1).map((e) => `${e.tagName}.${e.className}`).slice(0, 5), width);
      expect(sticking).to.deep.equal([]);
      const links = await page.locator('nav a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).hash));
      expect(links.length).to.be.greaterThan(10);
      for (const hash of links) expect(await page.locator(hash).count(), hash).to.equal(1);
      expect(await page.locator('#kind-orders dd').filter({ hasText: 'alert(' }).count()).to.be.greaterThan(0);
      expect(await page.locator('script').count()).to.equal(0);
      const violations = (await page.evaluate(`${axeSource}\n;axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`)) as string[];
      expect(violations).to.deep.equal([]);
      expect(requests).to.deep.equal([]);
      expect(dialogs).to.deep.equal([]);
      if (process.env.SCREENSHOTS) {
        await page.screenshot({ path: path.join(process.env.SCREENSHOTS, `export-index-${width}.png`) });
        await page.locator('#kind-orders').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(process.env.SCREENSHOTS, `export-index-${width}-orders.png`) });
      }
      await context.close();
    });
  }
});

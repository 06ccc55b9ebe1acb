import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { QueryTypes } from 'sequelize';
import { hasChromium, startBrowserApp, type BrowserApp } from '../../../helpers/browser';
import { makeProduct, makeShop } from '../order-helpers';

const SHOTS = process.env.BULK_SHOTS_DIR;

/** Whether the page scrolls sideways at its width (the standard: it never does). */
const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);

describe('shops: bulk edit and CSV import in a real browser, at 1280 and 390 px', () => {
  let env: BrowserApp;
  before(async function () {
    if (!hasChromium) this.skip();
    this.timeout(60_000);
    env = await startBrowserApp({ plugins: ['shops'] });
  });
  after(async () => env?.close());

  it('ticks products and changes their stock, then imports a CSV whose progress bar runs to the report', async function () {
    this.timeout(120_000);
    const { browser, url, t } = env;
    const { shop, seller, password } = await makeShop(t, { name: 'Browser Bulk Shop' });
    const a = await makeProduct(t, shop, { title: 'Linen napkin with a rather long name to wrap', price: 900, stock: 0 });
    const b = await makeProduct(t, shop, { title: 'Linen runner', price: 2400, stock: 2 });
    await makeProduct(t, shop, { title: 'Linen apron', price: 3100, stock: 5 });

    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const cspErrors: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      await page.goto(`${url}/login`);
      await page.getByLabel('Email or username').fill(seller.username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));

      // The first pass imported 40 more: the filter finds the three linen products again.
      await page.goto(`${url}/seller/products?q=linen`);
      expect(await scrollsSideways(page), `products list at ${width}px`).to.equal(false);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/products-${width}.png`, fullPage: true });
      await page.getByLabel(`Select ${(await t.platform.sequelize.query<{ title: string }>('SELECT title FROM products WHERE id = ?', { replacements: [a.id], type: QueryTypes.SELECT }))[0].title}`).check();
      await page.getByLabel('Select Linen runner').check();
      await page.getByLabel('Stock change').selectOption('add');
      await page.getByLabel('Units').fill('3');
      await page.getByRole('button', { name: 'Apply to selected products' }).click();
      await page.getByText('2 products were changed.').waitFor();

      // A refused edit: the message on the same page, nothing changed, at this width too.
      await page.getByLabel('Select Linen runner').check();
      await page.getByLabel('Stock change').selectOption('remove');
      await page.getByLabel('Units').fill('100');
      await page.getByRole('button', { name: 'Apply to selected products' }).click();
      await page.getByText('Linen runner: the stock would be').waitFor();
      expect(await scrollsSideways(page), `refused bulk edit at ${width}px`).to.equal(false);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/products-refused-${width}.png`, fullPage: true });

      await page.goto(`${url}/seller/imports`);
      expect(await scrollsSideways(page), `imports page at ${width}px`).to.equal(false);
      const csv = ['sku,title,price,stock,status', ...Array.from({ length: 40 }, (_, i) => `W${width}-${i},Browser import ${width} ${i},${(i + 1).toFixed(2)},${i},published`), `W${width}-BAD,,1.00,1,draft`].join('\n');
      await page.getByLabel('CSV file').setInputFiles({ name: `import-${width}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Upload and preview' }).click();
      await page.getByRole('heading', { name: 'Check the import' }).waitFor();
      expect(await page.locator('.import-summary').innerText()).to.contain('40 new products, 0 updated, 0 unchanged, 1 row refused, of 41.');
      expect(await scrollsSideways(page), `import preview at ${width}px`).to.equal(false);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/import-preview-${width}.png`, fullPage: true });
      await page.getByRole('button', { name: 'Import 40 products' }).click();
      // import-progress.js polls the JSON and reloads once the job is done.
      await page.getByRole('heading', { name: 'Import done' }).waitFor({ timeout: 60_000 });
      expect(await page.locator('progress').getAttribute('value')).to.equal('41');
      expect(await scrollsSideways(page), `import report at ${width}px`).to.equal(false);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/import-done-${width}.png`, fullPage: true });
      expect(cspErrors).to.deep.equal([]);
      await context.close();
    }
    const [{ n }] = await t.platform.sequelize.query<{ n: number }>("SELECT COUNT(*) AS n FROM products WHERE shop_id = ? AND sku LIKE 'W%'", { replacements: [shop.id], type: QueryTypes.SELECT });
    expect(Number(n)).to.equal(80);
    const [runner] = await t.platform.sequelize.query<{ stock: number }>('SELECT stock FROM products WHERE id = ?', { replacements: [b.id], type: QueryTypes.SELECT });
    expect(Number(runner.stock)).to.equal(8);
  });
});

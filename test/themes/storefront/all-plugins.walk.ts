import fs from 'node:fs';
import { expect } from 'chai';
import { ADMIN } from '../../helpers/app';
import { hasChromium, startBrowserApp, type BrowserApp } from '../../helpers/browser';
import { DEFAULT_PLUGINS } from '../../../core/create-platform';
import { DEMO_SHOPS } from '../../../plugins/shops/demo/demo-data';
import { DEMO_BUYER } from '../../../plugins/shops/demo-orders';
import { loggedIn, walkStore, type Problem } from './axe-walk';

/**
 * A fresh demo store with all seven plugins, walked by a guest, the demo buyer, a demo seller and the admin
 * through every page their links reach, at 1280 and 390 px: zero axe-core violations at WCAG 2.1 AA (all
 * impacts), nothing scrolls sideways, every picture lazy with its size. New pages are found by their links,
 * so a plugin's new page is checked without editing this test.
 */
const shotsDir = process.env.SCREENSHOTS;
const under = (...prefixes: string[]) => (p: string) => prefixes.some((x) => p === x || p.startsWith(`${x}/`));

describe('storefront theme on every page of every plugin (axe-core WCAG 2.1 AA, 1280 and 390 px)', function () {
  let env: BrowserApp;
  before(async function () {
    if (!hasChromium) this.skip();
    this.timeout(240_000);
    env = await startBrowserApp({ plugins: DEFAULT_PLUGINS, env: { DEMO_SEED: '1' } });
    if (shotsDir) fs.mkdirSync(shotsDir, { recursive: true });
  });
  after(async () => env?.close());

  const problemsOf = (problems: Problem[]) => [...new Set(problems.map((p) => `${p.role} ${p.width}px ${p.page}: ${p.what}`))];

  it('a guest: the storefront, the forms, the newsletter, contact and privacy pages', async function () {
    this.timeout(900_000);
    const { browser, url } = env;
    const page = await browser.newPage();
    // Something in the cart, so the cart and checkout show their full markup.
    await page.goto(`${url}/products`);
    await page.locator('.product-card a').first().click();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL('**/cart');
    const problems: Problem[] = [];
    const seeds = ['/', '/products', '/shops', '/cart', '/checkout', '/login', '/register', '/password/forgot', '/contact', '/newsletter', '/privacy/rights', '/privacy/cookies', '/privacy/policies'];
    const visited = await walkStore(page, url, { role: 'guest', seeds, scope: (p) => !under('/account', '/seller', '/admin', '/messages', '/reviews')(p), shotsDir }, problems);
    await page.close();
    expect(visited.length, visited.join(' ')).to.be.greaterThan(12);
    expect(problemsOf(problems)).to.deep.equal([]);
  });

  it('the demo buyer: account, orders, messages, follows, reviews, privacy, checkout', async function () {
    this.timeout(900_000);
    const { browser, url } = env;
    const page = await loggedIn(browser, url, DEMO_BUYER.email, DEMO_BUYER.password);
    await page.goto(`${url}/products`);
    await page.locator('.product-card a').first().click();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL('**/cart');
    const problems: Problem[] = [];
    const seeds = ['/account', '/account/orders', '/account/messages', '/account/following', '/account/notifications', '/account/notifications/settings', '/account/favourites', '/account/reviews', '/account/privacy', '/account/addresses', '/account/close', '/cart', '/checkout', '/privacy/rights'];
    const visited = await walkStore(page, url, { role: 'buyer', seeds, scope: under('/account', '/messages', '/reviews', '/cart', '/checkout', '/privacy/rights'), shotsDir }, problems);
    await page.close();
    expect(visited.length, visited.join(' ')).to.be.greaterThan(10);
    expect(problemsOf(problems)).to.deep.equal([]);
  });

  it('a seller: dashboard, products, the product form, orders, settings, messages, payouts', async function () {
    this.timeout(900_000);
    const { browser, url } = env;
    const page = await loggedIn(browser, url, DEMO_SHOPS[0].seller.email, DEMO_SHOPS[0].seller.password);
    const problems: Problem[] = [];
    const seeds = ['/seller', '/seller/products', '/seller/products/new', '/seller/orders', '/seller/settings', '/seller/messages'];
    const visited = await walkStore(page, url, { role: 'seller', seeds, scope: under('/seller', '/messages'), shotsDir }, problems);
    await page.close();
    expect(visited.length, visited.join(' ')).to.be.greaterThan(5);
    expect(problemsOf(problems)).to.deep.equal([]);
  });

  it('the admin: every admin page of core and the seven plugins', async function () {
    this.timeout(900_000);
    const { browser, url } = env;
    const page = await loggedIn(browser, url, ADMIN.email, ADMIN.password);
    const problems: Problem[] = [];
    const visited = await walkStore(page, url, { role: 'admin', seeds: ['/admin'], scope: under('/admin'), limit: 80, shotsDir }, problems);
    await page.close();
    expect(visited.length, visited.join(' ')).to.be.greaterThan(20);
    expect(problemsOf(problems)).to.deep.equal([]);
  });

  it('the example child theme (storefront-child) passes the same checks on the pages it changes', async function () {
    this.timeout(600_000);
    const { browser, url, t } = env;
    await t.platform.themes.activate('storefront-child');
    try {
      const page = await browser.newPage();
      const problems: Problem[] = [];
      const seeds = ['/', `/shops/${DEMO_SHOPS[0].shop.slug}`, '/products', '/login', '/newsletter', '/privacy/rights'];
      await walkStore(page, url, { role: 'child-guest', seeds, scope: () => false, shotsDir }, problems);
      expect(await page.locator('footer.child-footer').count(), 'the child footer is on the page').to.equal(1);
      await page.close();
      expect(problemsOf(problems)).to.deep.equal([]);
    } finally {
      await t.platform.themes.activate('storefront');
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { ADMIN } from '../../helpers/app';
import { hasChromium, startBrowserApp, type BrowserApp } from '../../helpers/browser';
import { DEMO_SHOPS } from '../../../plugins/shops/demo/demo-data';
import { DEMO_BUYER } from '../../../plugins/shops/demo-orders';
import { shopModels } from '../../plugins/shops/shop-models';
import { axeViolations, loggedIn, WIDTHS } from './axe-walk';

/**
 * The store as its three kinds of users see it, in Chromium at a desktop width and a phone's: on every page
 * nothing scrolls sideways and axe-core finds nothing at WCAG 2.1 A/AA (any impact). With SCREENSHOTS=<folder> set,
 * each page is also saved there as <width>-<name>.png (how the README's pictures are made).
 */
const shotsDir = process.env.SCREENSHOTS;

interface Problem {
  page: string;
  width: number;
  what: string;
}

/** Visits each page at each width; records sideways scrolling, axe's WCAG 2.1 AA findings and bad statuses. */
async function walk(page: Page, url: string, pages: Array<[name: string, path: string]>, problems: Problem[]): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    for (const [name, address] of pages) {
      const response = await page.goto(url + address);
      if (!response || response.status() !== 200) problems.push({ page: name, width, what: `status ${response?.status()}` });
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      if (scrollWidth > innerWidth) problems.push({ page: name, width, what: `scrolls sideways: ${scrollWidth} > ${innerWidth}` });
      for (const v of await axeViolations(page)) problems.push({ page: name, width, what: `axe ${v.impact} ${v.id}: ${v.help} ${JSON.stringify(v.nodes)}` });
      if (shotsDir) {
        // A full-page picture shows what is below the fold too: lazy pictures are loaded first.
        await page.evaluate(async () => {
          const imgs = [...document.querySelectorAll('img')];
          for (const img of imgs) img.loading = 'eager';
          await Promise.all(imgs.map((img) => (img.complete ? null : new Promise((resolve) => img.addEventListener('load', resolve, { once: true })))));
        });
        await page.screenshot({ path: path.join(shotsDir, `${width}-${name}.png`), fullPage: true });
      }
    }
  }
}

describe('storefront theme: shopper, seller and admin pages at 1280 and 390 px', () => {
  let env: BrowserApp;
  before(async function () {
    if (!hasChromium) this.skip();
    this.timeout(240_000);
    // The demo marketplace (three shops, thirty products, a buyer with orders) is what a first visitor sees.
    env = await startBrowserApp({ plugins: ['shops'], env: { DEMO_SEED: '1' } });
    // A store that filled in its General settings: the footer shows its address, contact and policy links.
    const saved = await env.t.platform.settings.save('core', {
      ...env.t.platform.settings.get('core'),
      tagline: 'Handmade and small-batch goods from independent shops across Europe.',
      storeAddress: 'Agora Marketplace GmbH\nTorstraße 101\n10119 Berlin, Germany',
      contactEmail: 'hello@agora.example',
      termsUrl: '/shops',
      privacyUrl: '/shops',
    });
    expect(saved.ok, JSON.stringify(saved)).to.equal(true);
    if (shotsDir) fs.mkdirSync(shotsDir, { recursive: true });
  });
  after(async () => env?.close());

  it('fits the screen and passes axe-core on every page of the three journeys', async function () {
    // axe-core on 40 page views: a minute on a quiet machine, far more on a busy one.
    this.timeout(1_200_000);
    const { browser, url } = env;
    const { Product, Order, Shop } = shopModels();
    const product = await Product.findOne({ where: { title: DEMO_SHOPS[0].products[0].title } });
    const shop = await Shop.findOne({ where: { slug: DEMO_SHOPS[0].shop.slug } });
    const sellersOrder = await Order.findOne({ where: { shop_id: shop!.id }, order: [['id', 'ASC']] });
    expect(product, 'demo product').to.not.equal(null);
    expect(sellersOrder, "the demo seller's order").to.not.equal(null);
    const problems: Problem[] = [];

    // A guest: home, catalog, a product, a shop, the cart with something in it, the login and register forms.
    const guest = await browser.newPage();
    await guest.goto(`${url}/products/${product!.slug}`);
    await guest.getByRole('button', { name: 'Add to cart' }).click();
    await guest.waitForURL('**/cart');
    await walk(
      guest,
      url,
      [
        ['home', '/'],
        ['catalog', '/products'],
        ['product', `/products/${product!.slug}`],
        ['shop', `/shops/${shop!.slug}`],
        ['cart', '/cart'],
        ['login', '/login'],
        ['register', '/register'],
      ],
      problems,
    );
    await guest.close();

    const buyer = await loggedIn(browser, url, DEMO_BUYER.email, DEMO_BUYER.password);
    await walk(buyer, url, [['account-orders', '/account/orders']], problems);
    await buyer.close();

    const seller = await loggedIn(browser, url, DEMO_SHOPS[0].seller.email, DEMO_SHOPS[0].seller.password);
    await walk(
      seller,
      url,
      [
        ['seller-dashboard', '/seller'],
        ['seller-products', '/seller/products'],
        ['seller-order', `/seller/orders/${encodeURIComponent(sellersOrder!.number)}`],
      ],
      problems,
    );
    await seller.close();

    const admin = await loggedIn(browser, url, ADMIN.email, ADMIN.password);
    await walk(
      admin,
      url,
      [
        ['admin', '/admin'],
        ['admin-plugins', '/admin/plugins'],
        ['admin-users', '/admin/users'],
        // Its list of route patterns (/checkout/orders/:reference/notes) once widened a phone's page to 404 px.
        ['admin-deactivate', '/admin/plugins/shops/deactivate'],
        ['admin-settings-shops', '/admin/settings/shops'],
      ],
      problems,
    );
    await admin.close();

    expect(problems.map((p) => `${p.width}px ${p.page}: ${p.what}`)).to.deep.equal([]);
  });

  it('on a phone: two products per row, filters behind a button, header tap targets of 44 px; tabs and gallery without script', async function () {
    this.timeout(300_000);
    const { browser, url } = env;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${url}/products`);
    const lefts = await page.locator('.product-grid .product-card').evaluateAll((cards) => cards.slice(0, 4).map((c) => Math.round(c.getBoundingClientRect().left)));
    expect(new Set(lefts).size, 'two columns').to.equal(2);
    expect(lefts[0]).to.equal(lefts[2]);
    const filters = page.locator('form.filter-form');
    expect(await filters.isVisible(), 'filters hidden until asked for').to.equal(false);
    await page.getByText('Filters and sorting').click();
    expect(await filters.isVisible()).to.equal(true);
    const small = await page.locator('.site-header a, .site-header button, .site-header input, main .button').evaluateAll((els) =>
      els.filter((e) => (e as HTMLElement).offsetParent !== null && e.getBoundingClientRect().height < 44).map((e) => `${e.tagName} ${e.textContent?.trim() ?? ''} ${Math.round(e.getBoundingClientRect().height)}px`),
    );
    expect(small, 'tap targets under 44 px').to.deep.equal([]);

    // At a desktop width the filters are shown without a click.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${url}/products`);
    expect(await page.locator('form.filter-form').isVisible()).to.equal(true);

    // The product page: one tab panel at a time, switched by its link; the thumbnails switch the picture.
    const { Product } = shopModels();
    const product = await Product.findOne({ where: { title: DEMO_SHOPS[0].products[0].title } });
    await page.goto(`${url}/products/${product!.slug}`);
    const visiblePanels = () => page.locator('.tab-panel').evaluateAll((ps) => ps.filter((p) => (p as HTMLElement).offsetParent !== null).map((p) => p.id));
    const panels = await page.locator('.tab-panel').evaluateAll((ps) => ps.map((p) => p.id));
    expect(panels.length).to.be.greaterThan(1);
    expect(await visiblePanels()).to.deep.equal([panels[0]]);
    await page.locator(`.tab-list a[href="#${panels[1]}"]`).click();
    expect(await visiblePanels()).to.deep.equal([panels[1]]);
    const visibleSlides = () => page.locator('.gallery-slide').evaluateAll((ss) => ss.filter((s) => (s as HTMLElement).offsetParent !== null).map((s) => s.id));
    expect(await visibleSlides()).to.deep.equal(['picture-1']);
    await page.locator('.product-thumbs a[href="#picture-2"]').click();
    expect(await visibleSlides()).to.deep.equal(['picture-2']);
    await page.close();
  });

  it('found walking the store: a danger button is red, and kept pictures are thumbnails, not a bulleted list', async function () {
    this.timeout(300_000);
    const { browser, url } = env;
    const admin = await loggedIn(browser, url, ADMIN.email, ADMIN.password);
    await admin.goto(`${url}/admin/plugins/shops/deactivate`);
    // `button.button` outranked `.button-danger`: "Deactivate Shops" was as blue as every harmless button.
    const danger = await admin.locator('button.button-danger').evaluate((b) => getComputedStyle(b).backgroundColor);
    const plain = await admin.locator('.header-search button.button').evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(danger).to.equal('rgb(180, 35, 24)').and.not.equal(plain);
    await admin.close();

    const seller = await loggedIn(browser, url, DEMO_SHOPS[0].seller.email, DEMO_SHOPS[0].seller.password);
    await seller.goto(`${url}/seller/products/new`);
    await seller.getByLabel('Title').fill('Kept Picture Jug');
    const picture = path.join(fs.mkdtempSync(path.join(env.t.dataDir, 'pic-')), 'jug.png');
    fs.writeFileSync(picture, await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3a7' } }).png().toBuffer());
    await seller.locator('input[type=file][name=images]').setInputFiles(picture);
    await seller.getByRole('button', { name: 'Save product' }).click();
    await seller.waitForLoadState('load');
    expect(seller.url(), 'no token in the address after the error').to.equal(`${url}/seller/products`);
    const kept = seller.locator('ul.kept-uploads');
    expect(await kept.count()).to.equal(1);
    expect(await kept.evaluate((ul) => getComputedStyle(ul).listStyleType)).to.equal('none');
    await seller.close();
  });

  it('passes axe-core in the child theme too (the Register button among it)', async function () {
    this.timeout(300_000);
    const { browser, url, t } = env;
    await t.platform.themes.activate('storefront-night');
    try {
      const page = await browser.newPage();
      const problems: Problem[] = [];
      await walk(page, url, [['night-home', '/'], ['night-login', '/login']], problems);
      const register = await page.locator('.header-actions a.button').evaluate((a) => {
        const style = getComputedStyle(a);
        return { color: style.color, background: style.backgroundColor };
      });
      expect(register.color).to.not.equal(register.background);
      await page.close();
      expect(problems.map((p) => `${p.width}px ${p.page}: ${p.what}`)).to.deep.equal([]);
    } finally {
      await t.platform.themes.activate('storefront');
    }
  });
});

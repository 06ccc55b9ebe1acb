import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createUser } from '../../helpers/app';
import { hasChromium, startBrowserApp, type BrowserApp } from '../../helpers/browser';
import { makeProduct } from './order-helpers';
import { shopModels } from './shop-models';
import { digitalProduct, loggedInSeller, markPaid } from './digital-helpers';

/** Screenshots for a person to look at, when DIGITAL_SCREENSHOTS names a folder. */
const SHOTS = process.env.DIGITAL_SCREENSHOTS;

async function fitsWidth(page: Page, width: number, name: string): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
  expect(overflow, `${name} scrolls sideways at ${width} px`).to.be.at.most(0);
}

describe('shops digital goods in a real browser: buying a download and getting its link, at 1280 and 390 px', () => {
  let env: BrowserApp;
  before(async function () {
    if (!hasChromium) this.skip();
    this.timeout(90_000);
    env = await startBrowserApp({ plugins: ['shops'] });
  });
  after(async () => env?.close());

  it('shows the seller’s downloads page, the product, a checkout without address and the order’s download button without sideways scrolling', async function () {
    this.timeout(180_000);
    const { t, browser, url } = env;
    const seller = await loggedInSeller(t, { name: 'Northern Patterns', methods: [{ name: 'Post', price: 500 }] });
    const product = await digitalProduct(t, seller, { title: 'Fair Isle pattern collection', price: 1200, limit: '3', days: '14', filename: 'fair-isle-pattern-collection-with-charts-and-colourways.pdf' });
    await makeProduct(t, seller.shop, { title: 'Unrelated parcel', price: 900 });
    const { user, password } = await createUser({ email: 'knitter@example.test' });

    const sellerPage = await browser.newPage();
    await sellerPage.goto(`${url}/login`);
    await sellerPage.getByLabel(/Email|Username/).first().fill(seller.seller.email);
    await sellerPage.getByLabel('Password').fill(seller.password);
    await sellerPage.getByRole('button', { name: /Log in/ }).click();
    await sellerPage.waitForURL((u) => !u.pathname.startsWith('/login'));
    await sellerPage.goto(`${url}/seller/products/${product.id}/downloads`);
    await sellerPage.getByRole('link', { name: 'fair-isle-pattern-collection-with-charts-and-colourways.pdf' }).waitFor();
    for (const w of [1280, 390]) await fitsWidth(sellerPage, w, 'seller-downloads');

    const page = await browser.newPage();
    await page.goto(`${url}/login`);
    await page.getByLabel(/Email|Username/).first().fill(user.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: /Log in/ }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${url}/products/${product.slug}`);
    await page.getByText('Digital download').waitFor();
    for (const w of [1280, 390]) await fitsWidth(page, w, 'product');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL('**/cart');
    await page.getByText('Download after payment').first().waitFor();
    for (const w of [1280, 390]) await fitsWidth(page, w, 'cart');
    await page.goto(`${url}/checkout`);
    expect(await page.getByLabel('Street address').count()).to.equal(0);
    await page.getByLabel('Full name').fill('Kirsty Knitter');
    await page.getByLabel('Country you live in').selectOption('GB');
    for (const w of [1280, 390]) await fitsWidth(page, w, 'checkout');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL('**/checkout/orders/**');
    await page.getByText('as soon as the payment is received').first().waitFor();
    for (const w of [1280, 390]) await fitsWidth(page, w, 'confirmation-pending');

    const order = (await shopModels().Order.findOne({ where: { buyer_id: user.id } }))!;
    expect((await markPaid(seller.agent, order.number)).status).to.equal(303);
    await page.goto(`${url}/account/orders/${encodeURIComponent(order.number)}`);
    const button = page.getByRole('link', { name: /Download fair-isle/ });
    await button.waitFor();
    for (const w of [1280, 390]) await fitsWidth(page, w, 'account-order');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).to.equal('fair-isle-pattern-collection-with-charts-and-colourways.pdf');

    await sellerPage.goto(`${url}/seller/orders/${encodeURIComponent(order.number)}`);
    await sellerPage.getByText('downloaded 1 time').waitFor();
    for (const w of [1280, 390]) await fitsWidth(sellerPage, w, 'seller-order');

    const stranger = await browser.newPage();
    const href = await button.getAttribute('href');
    await stranger.goto(`${url}${href}`);
    await stranger.getByText('Log in to download').first().waitFor();
    for (const w of [1280, 390]) await fitsWidth(stranger, w, 'refused');
  });
});

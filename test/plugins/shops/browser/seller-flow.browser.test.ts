import { expect } from 'chai';
import { createUser } from '../../../helpers/app';
import { hasChromium, startBrowserApp, type BrowserApp } from '../../../helpers/browser';
import { pngImage } from '../catalog-helpers';
import { shopModels } from '../shop-models';

describe('shops: a seller opens a shop and adds a product in a real browser', () => {
  let env: BrowserApp;
  before(async function () {
    if (!hasChromium) this.skip();
    this.timeout(60_000);
    env = await startBrowserApp({ plugins: ['shops'] });
  });
  after(async () => env?.close());

  it('goes from "Sell" through the open-shop and product forms to the live product page', async function () {
    this.timeout(60_000);
    const { browser, url } = env;
    const { user, password } = await createUser({ display_name: 'Rosa Potter' });
    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });

    await page.goto(`${url}/login`);
    await page.getByLabel('Email or username').fill(user.username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Sell' }).click();
    await page.waitForURL('**/seller/open');

    await page.getByLabel('Shop address').fill('Rosa Pots');
    await page.getByLabel('Shop name').fill('Rosa Pots');
    await page.getByLabel('About your shop').fill('Small-batch pottery from Lisbon.');
    await page.getByLabel('Logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: await pngImage('#c0392b', 200, 200) });
    await page.locator('#f-ship-0-price').fill('5.00');
    await page.getByRole('button', { name: 'Open my shop' }).click();

    // The address is not a valid slug: the form says so and keeps what was typed (the file must be chosen again).
    await page.getByText('Use lowercase letters, digits and single hyphens').waitFor();
    expect(await page.getByLabel('Shop name').inputValue()).to.equal('Rosa Pots');
    await page.getByLabel('Shop address').fill('rosa-pots');
    await page.getByLabel('Logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: await pngImage('#c0392b', 200, 200) });
    await page.getByRole('button', { name: 'Open my shop' }).click();

    await page.waitForURL(/\/seller$/);
    // The flash message is not waited for: the browser's favicon request (a 404 page) may show it first.
    await page.getByRole('heading', { name: 'Rosa Pots', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Add a product' }).click();
    await page.waitForURL('**/seller/products/new');

    await page.getByLabel('Title').fill('Terracotta Planter');
    await page.getByLabel('Description').fill('A planter with a drainage hole.');
    await page.getByLabel('Price (EUR)').fill('18.50');
    await page.getByLabel('Stock').fill('4');
    await page.getByLabel('Tags').fill('garden, clay');
    await page.getByLabel('Pictures').setInputFiles({ name: 'planter.png', mimeType: 'image/png', buffer: await pngImage('#d35400', 640, 640) });
    await page.getByLabel('Status').selectOption('published');
    await page.getByRole('button', { name: 'Save product' }).click();

    await page.waitForURL('**/seller/products');
    await page.getByRole('heading', { name: 'Your products' }).waitFor();
    expect(await page.locator('.badge-published').count()).to.equal(1);
    await page.getByRole('link', { name: 'Terracotta Planter' }).click();
    await page.waitForURL('**/products/terracotta-planter');
    expect(await page.locator('.product-price .price').innerText()).to.equal('€18.50');
    expect(await page.getByText('Only 4 left').count()).to.equal(1);
    const loaded = await page.locator('img.product-main-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth);
    expect(loaded).to.equal(640);
    expect(await page.getByRole('button', { name: 'Add to cart' }).count()).to.equal(1);
    expect(cspErrors).to.deep.equal([]);

    const { Shop, Product, User } = shopModels();
    const shop = await Shop.findOne({ where: { slug: 'rosa-pots' } });
    expect(shop?.owner_id).to.equal(user.id);
    expect(shop?.logo_path).to.be.a('string');
    const product = await Product.findOne({ where: { slug: 'terracotta-planter' } });
    expect([product?.price, product?.stock, product?.status, product?.shop_id]).to.deep.equal([1850, 4, 'published', shop!.id]);
    expect((await User.findByPk(user.id))?.role).to.equal('seller');
  });
});

import { expect } from 'chai';
import { hasChromium, startBrowserApp, type BrowserApp } from '../../helpers/browser';
import { makeProduct, makeShop } from './order-helpers';
import { shopModels } from './shop-models';

describe('shops: buying from two shops in a real browser', () => {
  let env: BrowserApp;
  before(async function () {
    if (!hasChromium) this.skip();
    this.timeout(60_000);
    env = await startBrowserApp({ plugins: ['shops'] });
  });
  after(async () => env?.close());

  it('adds a product of each shop to the cart and checks out with the manual gateway', async function () {
    this.timeout(90_000);
    const { t, browser, url } = env;
    const a = await makeShop(t, { name: 'Harbour Knits', methods: [{ name: 'Post', price: 500 }] });
    const b = await makeShop(t, { name: 'Kiln Corner', methods: [{ name: 'Parcel', price: 700 }] });
    const scarf = await makeProduct(t, a.shop, { title: 'Sea Scarf', price: 3500, stock: 4 });
    const bowl = await makeProduct(t, b.shop, { title: 'Tide Bowl', price: 2200, stock: 2 });

    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    for (const product of [scarf, bowl]) {
      await page.goto(`${url}/products/${product.slug}`);
      await page.getByRole('button', { name: 'Add to cart' }).click();
      await page.waitForURL('**/cart');
      await page.getByText(`Added “${product.title}” to your cart.`).waitFor();
    }
    await page.getByText('Cart (2)').waitFor();
    expect(await page.locator('.cart-shop').count()).to.equal(2);
    await page.getByRole('link', { name: 'Proceed to checkout' }).click();
    await page.waitForURL('**/checkout');

    await page.getByLabel('Email', { exact: true }).fill('sailor@example.test');
    await page.getByLabel('Full name').fill('Grace Hopper');
    await page.getByLabel('Street address').fill('1 Quay Street');
    await page.getByLabel('Postcode').fill('29200');
    await page.getByLabel('Town or city').fill('Brest');
    await page.getByLabel('Country').selectOption('FR');
    await page.getByLabel(/Pay on delivery or by bank transfer/).check();
    await page.getByRole('button', { name: 'Place order' }).click();

    await page.waitForURL(/\/checkout\/orders\/AG-/);
    await page.getByRole('heading', { name: /^Order AG-/ }).first().waitFor();
    expect(await page.getByText('How to pay').count()).to.equal(1);
    expect(await page.locator('.order-summary').count()).to.equal(2);
    expect(await page.locator('.group-total').innerText()).to.equal('€69.00'); // 35 + 5 + 22 + 7
    expect(await page.getByText('Cart (0)').count()).to.equal(1);
    expect(cspErrors).to.deep.equal([]);

    const { CheckoutGroup, Order } = shopModels();
    const groups = await CheckoutGroup.findAll();
    expect(groups).to.have.length(1);
    expect(await Order.count({ where: { group_id: groups[0].id } })).to.equal(2);
    await page.close();
  });
});

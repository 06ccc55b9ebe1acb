import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { createUser } from '../helpers/app';
import { hasChromium } from '../helpers/browser';
import { pngImage } from '../plugins/shops/catalog-helpers';
import { shopModels } from '../plugins/shops/shop-models';
import { jobsDone } from '../plugins/stripe/stripe-helpers';
import { describeFindings, fillAddress, tickRequired, keyboardFill, keyboardSubmit, loggedIn, recordFailure, startJourneys, visit, type JourneyEnv } from './journey-helpers';

/**
 * The seller's side (issue #16, journeys 4, 6 and 7), with a buyer and a stranger beside them: opening a
 * shop and adding a product with a picture, a follower told of a new product, an order and its note, and a
 * conversation between buyer and seller that nobody else can open.
 */
describe('journeys of a seller: a shop, a product, followers, an order note, a conversation', function () {
  this.timeout(300_000);
  let env: JourneyEnv;
  let seller: { context: BrowserContext; page: Page };
  let buyer: { context: BrowserContext; page: Page };
  const people: Record<'seller' | 'buyer' | 'stranger', { username: string; password: string; display: string }> = {} as never;
  let conversationPath = '';

  before(async function () {
    if (!hasChromium) this.skip();
    env = await startJourneys('seller');
    for (const [who, display] of [['seller', 'Rosa Potter'], ['buyer', 'Ben Buyer'], ['stranger', 'Sam Stranger']] as const) {
      const { user, password } = await createUser({ display_name: display });
      people[who] = { username: user.username, password, display };
    }
    seller = await loggedIn(env, people.seller.username, people.seller.password);
    buyer = await loggedIn(env, people.buyer.username, people.buyer.password);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await recordFailure(env, this.currentTest.title);
  });
  after(async () => env?.close());

  it('4a. a seller opens a shop (keyboard only) and adds a product with a picture', async () => {
    const { page } = seller;
    await page.goto(`${env.url}/`);
    await page.getByRole('link', { name: 'Sell' }).click();
    await page.waitForURL('**/seller/open');
    await visit(env, page, 'j4', 'open-shop');
    await keyboardFill(page, '#f-slug', 'rosa-pots');
    await keyboardFill(page, '#f-name', 'Rosa Pots');
    await keyboardFill(page, '#f-description', 'Small-batch pottery from Lisbon.');
    await keyboardFill(page, '#f-ship-0-price', '5.00');
    await keyboardSubmit(page, 'form[action="/seller/open"] button[type=submit]');
    expect(new URL(page.url()).pathname).to.equal('/seller');
    await visit(env, page, 'j4', 'seller-dashboard');

    await page.getByRole('link', { name: 'Add a product' }).first().click();
    await page.waitForURL('**/seller/products/new');
    await visit(env, page, 'j4', 'new-product');
    await page.getByLabel('Title').fill('Terracotta Planter');
    await page.getByLabel('Description').fill('A planter with a drainage hole.');
    await page.getByLabel('Price (EUR)').fill('18.50');
    await page.getByLabel('Stock').fill('4');
    await page.getByLabel('Pictures').setInputFiles({ name: 'planter.png', mimeType: 'image/png', buffer: await pngImage('#d35400', 640, 640) });
    await page.getByLabel('Status').selectOption('published');
    await page.getByRole('button', { name: 'Save product' }).click();
    await page.waitForURL('**/seller/products');
    await visit(env, page, 'j4', 'seller-products');
    await page.goto(`${env.url}/products/terracotta-planter`);
    await visit(env, page, 'j4', 'product-with-picture');
    const loaded = await page.locator('img.product-main-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth);
    expect(loaded, 'the uploaded picture is shown').to.equal(640);
  });

  it('6. the buyer follows the shop (keyboard only); the seller publishes a product; the buyer sees the notification', async () => {
    const { page } = buyer;
    await page.goto(`${env.url}/shops/rosa-pots`);
    await visit(env, page, 'j6', 'shop');
    await keyboardSubmit(page, '.follows-button button[type=submit]');
    expect(await page.locator('.follows-button button[type=submit]').first().innerText()).to.match(/Unfollow/);
    await page.goto(`${env.url}/account/following`);
    await visit(env, page, 'j6', 'following');
    expect(await page.locator('main').innerText()).to.include('Rosa Pots');

    const s = seller.page;
    await s.goto(`${env.url}/seller/products/new`);
    await s.getByLabel('Title').fill('Glazed Olive Dish');
    await s.getByLabel('Price (EUR)').fill('24.00');
    await s.getByLabel('Status').selectOption('published');
    await s.getByRole('button', { name: 'Save product' }).click();
    await s.waitForURL('**/seller/products');
    await jobsDone(env.t, 30_000);

    await page.goto(`${env.url}/`);
    expect(await page.locator('.site-header').innerText(), 'the unread count in the header').to.match(/Notifications\s*\(?1\)?/);
    await page.goto(`${env.url}/account/notifications`);
    await visit(env, page, 'j6', 'notifications');
    expect(await page.locator('main').innerText()).to.include('Glazed Olive Dish');
  });

  it('4b. the seller sees the new order and adds an order note (keyboard only)', async () => {
    const { page } = buyer;
    await page.goto(`${env.url}/products/terracotta-planter`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL('**/cart');
    await page.getByRole('link', { name: 'Proceed to checkout' }).click();
    await page.waitForURL('**/checkout');
    await fillAddress(page, 'Ben Buyer');
    await page.getByLabel(/Pay on delivery or by bank transfer/).check();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/checkout\/orders\/AG-/);
    const { Order } = shopModels();
    const order = (await Order.findOne({ order: [['id', 'DESC']] }))!;

    const s = seller.page;
    await s.goto(`${env.url}/seller`);
    await s.getByRole('link', { name: 'See orders and notes' }).click();
    await s.waitForURL('**/seller/orders');
    await visit(env, s, 'j4', 'seller-orders');
    await s.getByRole('link', { name: order.number }).first().click();
    await s.waitForURL(`**/seller/orders/${encodeURIComponent(order.number)}`);
    await visit(env, s, 'j4', 'seller-order');
    await keyboardFill(s, '.note-form textarea[name=body]', 'Packed with straw; it leaves on Monday.');
    await keyboardSubmit(s, '.note-form button[type=submit]');
    await visit(env, s, 'j4', 'seller-order-noted');
    expect(await s.locator('.order-notes').innerText()).to.include('Packed with straw; it leaves on Monday.');
    await page.goto(`${env.url}/account/orders/${encodeURIComponent(order.number)}`);
    await visit(env, page, 'j4', 'buyer-order-with-note');
    expect(await page.locator('main').innerText(), 'the buyer sees the note').to.include('Packed with straw');
  });

  it('7. the buyer contacts the seller (keyboard only); the seller replies; a third person cannot open the thread', async () => {
    const { page } = buyer;
    await page.goto(`${env.url}/products/terracotta-planter`);
    await page.getByRole('link', { name: 'Contact seller' }).click();
    await page.waitForURL(/\/messages\/new/);
    await visit(env, page, 'j7', 'new-message');
    await keyboardFill(page, '#f-subject', 'Is it frost-proof?');
    await keyboardFill(page, '#f-body', 'Could the planter stay outside in winter?');
    await tickRequired(page, 'form[action="/messages/new"]');
    await keyboardSubmit(page, 'form[action="/messages/new"] button[type=submit]');
    expect(page.url()).to.match(/\/messages\/\d+/);
    conversationPath = new URL(page.url()).pathname;
    await visit(env, page, 'j7', 'thread-buyer');

    const s = seller.page;
    await s.goto(`${env.url}/seller/messages`);
    await visit(env, s, 'j7', 'seller-inbox');
    await s.getByRole('link', { name: /Is it frost-proof\?/ }).first().click();
    await s.waitForURL(`**${conversationPath}`);
    await keyboardFill(s, 'textarea[name=body]', 'Yes, it is fired hot enough to stand frost.');
    await tickRequired(s, `form[action="${conversationPath}/reply"]`);
    await keyboardSubmit(s, `form[action="${conversationPath}/reply"] button[type=submit]`);
    await visit(env, s, 'j7', 'thread-seller');

    await page.goto(env.url + conversationPath);
    expect(await page.locator('main').innerText()).to.include('fired hot enough');
    const stranger = await loggedIn(env, people.stranger.username, people.stranger.password);
    const answer = await stranger.page.goto(env.url + conversationPath);
    expect(answer!.status(), 'a third person is refused').to.be.oneOf([403, 404]);
    expect(await stranger.page.locator('body').innerText()).to.not.include('frost');
    await visit(env, stranger.page, 'j7', 'thread-refused');
    await stranger.context.close();
  });

  it('every page these journeys visited passes axe-core (WCAG 2.1 A and AA) and breaks no CSP rule', () => {
    expect(describeFindings(env.findings)).to.deep.equal([]);
    expect(env.cspErrors, 'CSP complaints').to.deep.equal([]);
  });
});

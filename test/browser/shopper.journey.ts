import fs from 'node:fs';
import { expect } from 'chai';
import yauzl from 'yauzl';
import type { BrowserContext, Page } from 'playwright-core';
import { User } from '../../core/auth/user-model';
import { hasChromium } from '../helpers/browser';
import { makeProduct, makeShop } from '../plugins/shops/order-helpers';
import { shopModels } from '../plugins/shops/shop-models';
import { stripeSignature } from '../helpers/stripe-server';
import { jobsDone } from '../plugins/stripe/stripe-helpers';
import { adminLogin, axe, describeFindings, tickRequired, keyboardFill, fillAddress, keyboardSubmit, newVisitor, recordFailure, watchConsole, startJourneys, tabTo, visit, WEBHOOK_SECRET, type JourneyEnv } from './journey-helpers';

/**
 * A shopper's journeys, one after another in one store (issue #16, journeys 1, 2, 3, 5 and 8): the cookie
 * banner, registering, buying from two shops with both gateways, reviewing, and leaving with their data.
 */
describe('journeys of a shopper: cookies, registering, buying, reviewing, leaving', function () {
  this.timeout(300_000);
  let env: JourneyEnv;
  let shops: { a: Awaited<ReturnType<typeof makeShop>>; b: Awaited<ReturnType<typeof makeShop>> };
  const products: Record<'jug' | 'scarf' | 'bowl', { id: number; slug: string; title: string }> = {} as never;
  const buyer = { username: 'mira_k', display: 'Mira K.', email: 'mira@journeys.test', password: 'lantern-orchard-copper-9' };
  let buyerContext: BrowserContext;
  let page: Page;

  before(async function () {
    if (!hasChromium) this.skip();
    env = await startJourneys('shopper', { extraPlugins: ['consent-probe'], fixtures: true });
    shops = {
      a: await makeShop(env.t, { name: 'Harbour Knits', methods: [{ name: 'Post', price: 500 }] }),
      b: await makeShop(env.t, { name: 'Kiln Corner', methods: [{ name: 'Parcel', price: 700 }] }),
    };
    products.jug = await makeProduct(env.t, shops.b.shop, { title: 'Speckled Lantern Jug', price: 4200, stock: 5 });
    products.scarf = await makeProduct(env.t, shops.a.shop, { title: 'Lantern Wool Scarf', price: 3500, stock: 5 });
    products.bowl = await makeProduct(env.t, shops.b.shop, { title: 'Tide Bowl', price: 2200, stock: 5 });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await recordFailure(env, this.currentTest.title);
  });
  after(async () => {
    await buyerContext?.close();
    await env?.close();
  });

  it('1. a visitor accepts only functional cookies: no analytics script runs, and reloads keep the choice', async () => {
    const context = await env.browser.newContext();
    const p = await context.newPage();
    watchConsole(env, p);
    await p.goto(`${env.url}/`);
    await visit(env, p, 'j1', 'home-with-banner');
    // Keyboard only: open the banner's Settings, tick Functional, save.
    await tabTo(p, '#gdpr-banner summary');
    await p.keyboard.press('Enter');
    await keyboardFill(p, '#gdpr-banner input[value=preferences]', true);
    await tabTo(p, '#gdpr-banner button[value=save]');
    await axe(env, p, 'j1', 'banner-settings');
    await p.keyboard.press('Enter');
    await p.locator('#gdpr-banner').waitFor({ state: 'detached' });
    const ran = () => p.evaluate(() => ({ analytics: (window as { probeAnalytics?: boolean }).probeAnalytics ?? false, ads: (window as { probeAds?: boolean }).probeAds ?? false }));
    expect(await ran()).to.deep.equal({ analytics: false, ads: false });
    expect(await p.locator('script[src*="consent-probe/analytics"]').count()).to.equal(0);

    for (const address of ['/', '/products']) {
      await p.goto(env.url + address);
      expect(await p.locator('#gdpr-banner').count(), `no banner again on ${address}`).to.equal(0);
      expect(await ran(), `nothing beyond the choice runs on ${address}`).to.deep.equal({ analytics: false, ads: false });
    }
    // The cookie page shows the choice kept: Functional on, Performance and Targeting off.
    await p.goto(`${env.url}/privacy/cookies`);
    await visit(env, p, 'j1', 'cookie-page');
    const consent = (await context.cookies()).find((c) => c.name === 'gdpr_consent');
    expect(consent, 'the consent cookie').to.not.equal(undefined);
    const names = (await context.cookies()).map((c) => c.name);
    expect(names.filter((n) => n === 'probe_stats' || n === 'probe_ads')).to.deep.equal([]);
    await context.close();
  });

  it('2. registers with the gdpr boxes (keyboard only), verifies the email from the SMTP server, logs in', async () => {
    ({ context: buyerContext, page } = await newVisitor(env));
    await page.goto(`${env.url}/register`);
    await visit(env, page, 'j2', 'register');
    // A first try without the required policies is refused on the same page.
    await keyboardFill(page, '#f-first-name', 'Mira');
    await keyboardFill(page, '#f-last-name', 'Kowalski');
    await keyboardFill(page, '#f-username', buyer.username);
    await keyboardFill(page, '#f-display-name', buyer.display);
    await keyboardFill(page, '#f-email', buyer.email);
    await keyboardFill(page, '#f-password', buyer.password);
    await tabTo(page, '#f-birth-date');
    await page.keyboard.type('03141992');
    await keyboardSubmit(page, '.register-form button[type=submit]');
    expect(await page.locator('.register-form').count(), 'still the form').to.equal(1);
    await visit(env, page, 'j2', 'register-refused');
    expect(await page.locator('.register-form').innerText()).to.match(/Tick the box/i);

    await keyboardFill(page, '#f-password', buyer.password);
    await keyboardFill(page, '#gdpr-core-register-1', true);
    await keyboardFill(page, '#gdpr-core-register-2', true);
    await keyboardSubmit(page, '.register-form button[type=submit]');
    await visit(env, page, 'j2', 'register-sent');
    const user = await User.findOne({ where: { email: buyer.email } });
    expect(user, 'the account').to.not.equal(null);
    expect(user!.birth_date).to.equal('1992-03-14');

    const mail = await env.t.smtp!.waitFor(buyer.email, /verify|confirm/i);
    const link = /href="(https?:\/\/[^"]+\/verify-email\/[^"]+)"/.exec(mail.html)?.[1];
    expect(link, mail.html).to.be.a('string');
    // Opened in the browser that registered, the link finishes the registration: verified and logged in.
    await page.goto(env.url + new URL(link!.replace(/&amp;/g, '&')).pathname);
    await visit(env, page, 'j2', 'email-verified');
    expect(await page.locator('main').innerText()).to.match(/is verified/i);
    expect((await User.findOne({ where: { email: buyer.email } }))!.email_verified_at).to.not.equal(null);

    // Log out, and log in again keyboard only.
    await page.locator('form[action="/logout"] button').click();
    await page.waitForLoadState('load');
    await page.goto(`${env.url}/login`);
    await visit(env, page, 'j2', 'login');
    await keyboardFill(page, '#f-login', buyer.username);
    await keyboardFill(page, '#f-password', buyer.password);
    await keyboardSubmit(page, 'main form button[type=submit]');
    await page.goto(`${env.url}/account`);
    await visit(env, page, 'j2', 'account');
    expect(await page.locator('main').innerText()).to.include(`@${buyer.username}`);
    expect(await page.locator('#f-display-name').inputValue()).to.equal(buyer.display);
  });

  it('3. searches, opens a product, buys from two shops with the manual gateway and with Stripe, sees the orders', async () => {
    // Search from the header, keyboard only.
    await page.goto(`${env.url}/`);
    await keyboardFill(page, '#site-search', 'lantern');
    await Promise.all([page.waitForURL(/\/products\?/), page.keyboard.press('Enter')]);
    await visit(env, page, 'j3', 'search-results');
    const found = await page.locator('main .product-card').allInnerTexts();
    expect(found.join(' ')).to.include(products.jug.title).and.include(products.scarf.title);
    expect(found.join(' ')).to.not.include(products.bowl.title);

    await page.getByRole('link', { name: products.jug.title }).first().click();
    await page.waitForURL(`**/products/${products.jug.slug}`);
    await visit(env, page, 'j3', 'product');
    // Add to cart with the keyboard.
    await keyboardSubmit(page, 'form[action="/cart/items"] button[type=submit]');
    expect(page.url()).to.match(/\/cart$/);
    await page.goto(`${env.url}/products/${products.scarf.slug}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL('**/cart');
    await visit(env, page, 'j3', 'cart');
    expect(await page.locator('.cart-shop').count(), 'two shops in the cart').to.equal(2);

    await page.getByRole('link', { name: 'Proceed to checkout' }).click();
    await page.waitForURL('**/checkout');
    await visit(env, page, 'j3', 'checkout');
    await fillAddress(page, 'Mira Kowalski');
    await page.getByLabel(/Pay on delivery or by bank transfer/).check();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/checkout\/orders\/AG-/);
    await visit(env, page, 'j3', 'order-placed-manual');
    expect(await page.locator('.order-summary').count()).to.equal(2);

    // Again with Stripe: the browser follows the redirect to Stripe's page (answered here), Stripe's signed
    // webhook says it was paid, and the buyer comes back to the success page.
    await page.route('https://checkout.stripe.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Stripe Checkout</title><h1>Pay Agora</h1></html>' }));
    await page.goto(`${env.url}/products/${products.bowl.slug}`);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL('**/cart');
    await page.getByRole('link', { name: 'Proceed to checkout' }).click();
    await page.waitForURL('**/checkout');
    await fillAddress(page, 'Mira Kowalski');
    await page.getByLabel(/Card \(Stripe\)/).check();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const sessionId = /cs_test_[A-Za-z0-9]+/.exec(page.url())![0];
    const session = env.stripe.sessions.get(sessionId)!;
    expect(session.amount_total, 'bowl and parcel').to.equal(2200 + 700);
    const event = env.stripe.event('checkout.session.completed', env.stripe.pay(sessionId));
    const payload = JSON.stringify(event);
    await env.t.agent().post('/stripe/webhook').set('Content-Type', 'application/json').set('Stripe-Signature', stripeSignature(payload, WEBHOOK_SECRET)).send(payload).expect(200);
    await page.goto(String(session.success_url).replace(/^https?:\/\/[^/]+/, env.url));
    await visit(env, page, 'j3', 'order-paid-stripe');

    await page.goto(`${env.url}/account/orders`);
    await visit(env, page, 'j3', 'my-orders');
    const { Order } = shopModels();
    const orders = await Order.findAll({ order: [['id', 'ASC']] });
    expect(orders).to.have.length(3);
    const list = await page.locator('main').innerText();
    for (const o of orders) expect(list, o.number).to.include(o.number);
    expect(orders[2].status, 'the Stripe order, paid by the webhook').to.equal('paid');
  });

  it('5. the buyer writes a review (keyboard only); hidden until a moderator approves it in the admin; then it shows', async () => {
    await page.goto(`${env.url}/products/${products.bowl.slug}`);
    await page.getByRole('link', { name: 'Write a review' }).first().click();
    await page.waitForURL(/\/reviews\/new/);
    await visit(env, page, 'j5', 'review-form');
    await keyboardFill(page, 'input[name=rating][value="5"]', true);
    await keyboardFill(page, '#f-title', 'Holds the tide');
    await keyboardFill(page, '#f-body', 'A heavy, even glaze; it sits well on the table and washes easily.');
    await tickRequired(page, 'main form[action^="/reviews"]');
    await keyboardSubmit(page, 'main form[action^="/reviews"] button[type=submit]');
    await page.goto(`${env.url}/products/${products.bowl.slug}`);
    await visit(env, page, 'j5', 'product-review-pending');
    expect(await page.locator('main').innerText(), 'the author sees it awaiting moderation').to.match(/awaiting moderation/i);

    // Nobody else sees it yet.
    const guest = await newVisitor(env);
    await guest.page.goto(`${env.url}/products/${products.bowl.slug}`);
    expect(await guest.page.locator('main').innerText()).to.not.include('Holds the tide');

    const admin = await adminLogin(env);
    await admin.page.goto(`${env.url}/admin/reviews`);
    await visit(env, admin.page, 'j5', 'admin-review-queue');
    const item = admin.page.locator('.review-queue-item', { hasText: 'Holds the tide' });
    await item.getByRole('button', { name: 'Approve' }).click();
    await admin.page.waitForLoadState('load');
    await visit(env, admin.page, 'j5', 'admin-review-approved');
    await admin.context.close();

    await guest.page.goto(`${env.url}/products/${products.bowl.slug}`);
    await visit(env, guest.page, 'j5', 'product-review-published');
    const text = await guest.page.locator('main').innerText();
    expect(text).to.include('Holds the tide').and.include(buyer.display);
    await guest.context.close();
  });

  it('8. the buyer downloads their data (a zip with export.json), asks to be forgotten; the admin accepts; no more login; the review stays nameless', async () => {
    await page.goto(`${env.url}/privacy/rights`);
    await visit(env, page, 'j8', 'rights');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
    const file = await download.path();
    const entries = await zipEntries(fs.readFileSync(file));
    expect(entries, 'the archive').to.include('export.json');
    const exported = JSON.parse((await zipEntry(fs.readFileSync(file), 'export.json')).toString('utf8'));
    expect(JSON.stringify(exported)).to.include(buyer.email);

    // Ask for deletion, keyboard only.
    await keyboardFill(page, 'form[action="/privacy/rights/erasure"] input[name=confirm]', true);
    await keyboardSubmit(page, 'form[action="/privacy/rights/erasure"] button[type=submit]');
    await visit(env, page, 'j8', 'erasure-asked');

    const admin = await adminLogin(env);
    await admin.page.goto(`${env.url}/admin/privacy/requests`);
    await visit(env, admin.page, 'j8', 'admin-requests');
    await admin.page.locator('main a[href^="/admin/privacy/requests/"]').first().click();
    await admin.page.waitForURL(/\/admin\/privacy\/requests\/\d+/);
    await visit(env, admin.page, 'j8', 'admin-request');
    await admin.page.getByRole('button', { name: /^Accept/ }).first().click();
    await admin.page.waitForLoadState('load');
    await jobsDone(env.t, 60_000);
    await admin.page.reload();
    await visit(env, admin.page, 'j8', 'admin-request-done');
    expect(await admin.page.locator('main').innerText()).to.match(/completed/i);
    await admin.context.close();

    expect(await User.findOne({ where: { email: buyer.email } }), 'the account is gone').to.equal(null);
    const again = await newVisitor(env);
    await again.page.goto(`${env.url}/login`);
    await again.page.getByLabel('Email or username').fill(buyer.username);
    await again.page.getByLabel('Password', { exact: true }).fill(buyer.password);
    await again.page.getByRole('button', { name: 'Log in' }).click();
    await again.page.waitForLoadState('load');
    expect(new URL(again.page.url()).pathname, 'login refused').to.equal('/login');
    await visit(env, again.page, 'j8', 'login-refused');

    await again.page.goto(`${env.url}/products/${products.bowl.slug}`);
    await visit(env, again.page, 'j8', 'review-without-name');
    const text = await again.page.locator('main').innerText();
    expect(text).to.include('Holds the tide').and.include('A former customer');
    expect(text).to.not.include(buyer.display);
    await again.context.close();
  });

  it('every page these journeys visited passes axe-core (WCAG 2.1 A and AA) and breaks no CSP rule', () => {
    expect(describeFindings(env.findings)).to.deep.equal([]);
    expect(env.cspErrors, 'CSP complaints').to.deep.equal([]);
  });
});

/** The names of the entries of a zip. */
function zipEntries(data: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('not a zip'));
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** One entry of a zip, read whole. */
function zipEntry(data: Buffer, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('not a zip'));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks)));
        });
      });
      zip.on('end', () => reject(new Error(`${name} is not in the zip`)));
      zip.readEntry();
    });
  });
}

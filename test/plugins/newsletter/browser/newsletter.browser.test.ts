import { expect } from 'chai';
import { hasChromium, startBrowserApp, type BrowserApp } from '../../../helpers/browser';
import { ADMIN } from '../../../helpers/app';
import { NewsletterSubscriber } from '../../../../plugins/newsletter/models';
import { linkIn, saveSettings, subscribeConfirmed } from '../helpers';

describe('newsletter in a real browser: footer signup at 390 px, the admin watching a campaign go out', () => {
  let env: BrowserApp;
  before(async function () {
    if (!hasChromium) this.skip();
    this.timeout(60_000);
    env = await startBrowserApp({ plugins: ['newsletter'], smtp: true });
    await saveSettings(env.t, { batchSize: 1, batchIntervalSeconds: 1, signupLimitPerHour: 1000 });
  });
  after(async () => env?.close());

  it('subscribes from the footer on a phone-sized screen and confirms from the email', async function () {
    this.timeout(60_000);
    const { t, browser, url } = env;
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(`${url}/`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'no sideways scrolling').to.be.at.most(390);
    if (process.env.NEWSLETTER_SCREENSHOT) await page.locator('.footer-newsletter').screenshot({ path: process.env.NEWSLETTER_SCREENSHOT });
    await page.locator('#footer-newsletter-email').fill('phone@example.test');
    await page.locator('.newsletter-footer-form').getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL('**/newsletter/sent');
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    const mail = await t.smtp!.waitFor('phone@example.test', /Confirm your subscription/);
    await page.goto(`${url}${linkIn(mail, '/newsletter/confirm')}`);
    await page.getByRole('button', { name: 'Yes, subscribe me' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();
    expect((await NewsletterSubscriber.findOne({ where: { email: 'phone@example.test' } }))!.status).to.equal('confirmed');
    await page.close();
  });

  it('moves the progress bar on the campaign page, without a reload, until the last batch is out', async function () {
    this.timeout(90_000);
    const { t, browser, url } = env;
    for (const n of [1, 2, 3]) await subscribeConfirmed(t, `reader${n}@example.test`);
    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${url}/login`);
    await page.getByLabel(/Email or username/i).fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));

    await page.goto(`${url}/admin/newsletter/campaigns`);
    await page.getByLabel('Subject').fill('Browser news');
    await page.getByLabel('Message').fill('Hello from the browser test.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('button', { name: /Send to 4 confirmed subscribers/ }).click();
    await page.getByRole('heading', { name: 'Sending…' }).waitFor();
    const loadedAt = await page.evaluate(() => performance.timeOrigin);

    const value = () => page.locator('#campaign-progress').evaluate((el) => (el as HTMLProgressElement).value);
    const start = await value();
    // The bar moves by itself (the page's script polls), first partway, then to the end.
    await page.waitForFunction((from) => {
      const bar = document.querySelector('#campaign-progress') as HTMLProgressElement;
      return bar.value > from && bar.value < bar.max;
    }, start, { timeout: 30_000 });
    await page.waitForFunction(() => {
      const bar = document.querySelector('#campaign-progress') as HTMLProgressElement;
      return bar.value === bar.max && bar.max === 4;
    }, undefined, { timeout: 40_000 });
    await page.getByRole('heading', { name: 'Sent' }).waitFor();
    expect(await page.evaluate(() => performance.timeOrigin), 'the same page, not reloaded').to.equal(loadedAt);
    expect(cspErrors).to.deep.equal([]);
  });
});

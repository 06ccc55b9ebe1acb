import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { hasChromium, startBrowserApp, type BrowserApp } from '../../../helpers/browser';
import { ADMIN, createUser } from '../../../helpers/app';
import { RightsRequest } from '../../../../plugins/gdpr/rights/models/rights-request';
import { Breach } from '../../../../plugins/gdpr/rights/models/breach';

const SHOTS = process.env.SCREENSHOTS_DIR ?? path.join(process.cwd(), 'test', 'screenshots', 'gdpr-privacy-admin');

/** The privacy admin pages and the person's pages at a desktop and a phone width: no sideways scrolling, the key content shown. */
describe('gdpr: the register, retention, records and breaches pages in a browser at 1280 and 390 px', function () {
  this.timeout(120_000);
  let b: BrowserApp;
  let requestId = 0;
  let breachId = 0;
  let person: { email: string; password: string };
  before(async function () {
    if (!hasChromium) this.skip();
    b = await startBrowserApp({ plugins: ['shops', 'gdpr', 'newsletter'] });
    const { user, password } = await createUser({ email: 'browser.person@example.test' });
    person = { email: user.email, password };
    const base = { email_hash: 'h', user_id: user.id, source: 'account' as const, received_at: new Date(), verified_at: new Date() };
    const late = await RightsRequest.create({ ...base, kind: 'erasure', email: user.email, status: 'verified', due_at: new Date(Date.now() - 86_400_000) });
    await RightsRequest.create({ ...base, kind: 'access', email: 'a.rather.long.address.of.someone@example-store.example.test', user_id: null, source: 'email', status: 'verified', due_at: new Date(Date.now() + 3 * 86_400_000) });
    await RightsRequest.create({ ...base, kind: 'objection', email: user.email, status: 'completed', completed_at: new Date() });
    requestId = late.id;
    const breach = await Breach.create({ title: 'Backup readable from a public address for three hours', description: 'A nightly database backup was published by mistake.', discovered_at: new Date(Date.now() - 5 * 3600_000), people_affected: 1200, data_affected: 'names, email addresses, delivery addresses', measures: 'Removed, keys rotated, access logs read.', created_by: null });
    breachId = breach.id;
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => b?.close());

  const logIn = async (page: Page, login: string, password: string) => {
    await page.goto(`${b.url}/login`);
    await page.getByLabel('Email or username').fill(login);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  };
  const check = async (page: Page, width: number, pathname: string, mustShow: string) => {
    const res = await page.goto(`${b.url}${pathname}`);
    expect(res?.status(), pathname).to.equal(200);
    await page.screenshot({ path: path.join(SHOTS, `${width}${pathname.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
    expect((await page.locator('main').innerText()).toLowerCase(), pathname).to.include(mustShow.toLowerCase());
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${pathname} at ${width} px scrolls sideways by ${overflow} px`).to.be.at.most(0);
  };

  for (const width of [1280, 390]) {
    it(`shows the admin's privacy pages without sideways scrolling at ${width} px`, async () => {
      const context: BrowserContext = await b.browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      try {
        await logIn(page, ADMIN.email, ADMIN.password);
        await check(page, width, '/admin', 'overdue');
        await check(page, width, '/admin/privacy/requests', 'Overdue');
        await check(page, width, `/admin/privacy/requests/${requestId}`, 'Signed in to the account');
        await check(page, width, '/admin/privacy/retention', 'core.unverified-accounts');
        await check(page, width, '/admin/privacy/records', 'Controller');
        await check(page, width, '/admin/privacy/breaches', 'Backup readable');
        await check(page, width, `/admin/privacy/breaches/${breachId}`, 'min left');
      } finally {
        await context.close();
      }
    });

    it(`shows the person's rights and status pages without sideways scrolling at ${width} px`, async () => {
      const context = await b.browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      try {
        await check(page, width, '/privacy/rights', 'supervisory authority');
        await logIn(page, person.email, person.password);
        await check(page, width, '/account/privacy', 'Your privacy requests');
      } finally {
        await context.close();
      }
    });
  }
});

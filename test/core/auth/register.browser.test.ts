import { expect } from 'chai';
import { hasChromium, startBrowserApp, type BrowserApp } from '../../helpers/browser';
import { User } from '../../../core/auth/user-model';
import { OutboxMessage } from '../../../core/mail/outbox-model';
import { bornYearsAgo } from './support';

describe('registering in a real browser', () => {
  let env: BrowserApp;
  before(async function () {
    if (!hasChromium) this.skip();
    this.timeout(60_000);
    env = await startBrowserApp({ plugins: [] });
  });
  after(async () => env?.close());

  it('fills in the form, is told what to fix, and follows the mailed link and lands logged in on the account page', async function () {
    this.timeout(60_000);
    const { browser, url } = env;
    const page = await browser.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(`${url}/`);
    await page.getByRole('link', { name: 'Register' }).click();
    await page.waitForURL('**/register');

    await page.getByLabel('First name').fill('Katherine');
    await page.getByLabel('Last name').fill('Johnson');
    await page.getByLabel('Username').fill('KJohnson');
    await page.getByLabel('Display name').fill('Katherine J.');
    await page.getByLabel('Email address').fill('katherine@example.test');
    await page.getByLabel('Password').fill('password123');
    await page.getByLabel('Date of birth').fill(bornYearsAgo(17));
    await page.getByRole('button', { name: 'Create my account' }).click();

    // Two things to fix: a common password, and the guardian statement for a 17-year-old.
    await page.getByText('This password is too common').waitFor();
    await page.getByText('a parent or guardian must hold the account').waitFor();
    expect(await page.getByLabel('Username').inputValue()).to.equal('KJohnson');

    await page.getByLabel('Password').fill('orbits-and-trajectories-1962');
    await page.getByLabel(/a parent or guardian holds this account/).check();
    await page.getByRole('button', { name: 'Create my account' }).click();

    // Told to check the mail (the same answer whether or not the address had an account), then the link logs in.
    await page.waitForURL('**/register/sent');
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const mail = await OutboxMessage.findOne({ where: { to_address: 'katherine@example.test', subject: 'Verify your email address' } });
    const link = /https?:\/\/[^\s"<>]+\/verify-email\/[\w.-]+/.exec(mail!.text_body)![0];
    await page.goto(`${url}${new URL(link).pathname}`);
    await page.waitForURL('**/account');
    await page.getByRole('heading', { name: 'Your account', exact: true }).waitFor();
    expect(await page.locator('.site-header').innerText()).to.contain('Katherine J.');
    expect(await page.getByText('Welcome, Katherine J.!').count()).to.equal(1);
    expect(await page.getByText('is not verified yet').count()).to.equal(0);
    expect(cspErrors).to.deep.equal([]);

    const user = await User.findOne({ where: { username: 'kjohnson' } });
    expect(user!.guardian_confirmed).to.equal(true);
  });
});

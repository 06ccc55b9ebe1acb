import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { rootDir } from '../../core/config';
import { DEFAULT_PLUGINS } from '../../core/create-platform';
import { ADMIN } from '../helpers/app';
import { startBrowserApp, type BrowserApp } from '../helpers/browser';
import { StripeServer } from '../helpers/stripe-server';

/**
 * What every journey file shares: one app with all seven plugins on loopback, a real SMTP server, the local
 * Stripe-compatible server, one chromium; axe-core (WCAG 2.1 AA) on each page a journey visits; a
 * screenshot of each key page in test/screenshots/; and keyboard-only form filling.
 */

export const SCREENSHOTS = path.join(rootDir, 'test', 'screenshots');
export const WEBHOOK_SECRET = 'whsec_agoraJourneySecret0123456789';
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeFinding {
  journey: string;
  page: string;
  path: string;
  rule: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export interface JourneyEnv extends BrowserApp {
  stripe: StripeServer;
  /** Every axe-core violation met on the pages visited so far. */
  findings: AxeFinding[];
  /** What the browser said about the Content Security Policy (a blocked script, style or form). */
  cspErrors: string[];
  /** Which file's journeys these are: the prefix of its screenshots. */
  prefix: string;
  close(): Promise<void>;
}

/** The app with every bundled plugin (and the extra ones named) active, mail to a real SMTP server, Stripe local. */
export async function startJourneys(prefix: string, options: { extraPlugins?: string[]; fixtures?: boolean } = {}): Promise<JourneyEnv> {
  const stripe = await new StripeServer().start();
  const env = await startBrowserApp({ plugins: [...DEFAULT_PLUGINS, ...(options.extraPlugins ?? [])], smtp: true, fixtures: options.fixtures });
  const saved = await env.t.platform.settings.save('stripe', {
    ...env.t.platform.settings.get('stripe'),
    secretKey: stripe.secretKey,
    publishableKey: 'pk_test_agora0000000000000000',
    webhookSecret: WEBHOOK_SECRET,
    apiBase: stripe.apiBase,
    timeoutSeconds: '5',
  });
  expect(saved, JSON.stringify(saved)).to.deep.equal({ ok: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const findings: AxeFinding[] = [];
  return {
    ...env,
    stripe,
    findings,
    cspErrors: [],
    prefix,
    async close() {
      fs.writeFileSync(path.join(SCREENSHOTS, `${prefix}-axe.json`), JSON.stringify(findings, null, 2));
      await env.close();
      await stripe.stop();
    },
  };
}

/** Runs axe-core (WCAG 2.1 A and AA rules) in the page through the DevTools protocol, so the nonce CSP stays as it is. */
export async function axe(env: JourneyEnv, page: Page, journey: string, name: string): Promise<AxeFinding[]> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(async (tags) => {
    type Result = { violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> };
    const run = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<Result> } }).axe.run;
    const { violations } = await run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.map(String).join(' ')) }));
  }, WCAG_21_AA)) as Array<{ id: string; impact: string | null; help: string; targets: string[] }>;
  const found = violations.map((v) => ({ journey, page: name, path: new URL(page.url()).pathname, rule: v.id, impact: v.impact, help: v.help, targets: v.targets }));
  env.findings.push(...found);
  return found;
}

/** axe-core on the page, and a full-page screenshot of it (`<file>-<journey>-<name>.png`). */
export async function visit(env: JourneyEnv, page: Page, journey: string, name: string): Promise<void> {
  await page.waitForLoadState('load');
  expect(await page.locator('h1').count(), `${name} (${page.url()}) has a heading`).to.be.greaterThan(0);
  await axe(env, page, journey, name);
  // Lazy pictures below the fold are loaded first, so the picture shows the whole page.
  await page.evaluate(async () => {
    const imgs = [...document.querySelectorAll('img')];
    for (const img of imgs) img.loading = 'eager';
    await Promise.all(imgs.map((img) => (img.complete ? null : new Promise((resolve) => { img.addEventListener('load', resolve, { once: true }); img.addEventListener('error', resolve, { once: true }); }))));
  });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${env.prefix}-${journey}-${name}.png`), fullPage: true });
}

/** The findings as lines a person can act on: page, rule, impact, selectors. */
export function describeFindings(findings: AxeFinding[]): string[] {
  return findings.map((f) => `${f.journey} ${f.page} (${f.path}): ${f.rule} [${f.impact}] ${f.help} — ${f.targets.join(' | ')}`);
}

/** Presses Tab (keyboard only) until the focused element matches `selector`; fails when it never gets there. */
export async function tabTo(page: Page, selector: string, max = 200): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  throw new Error(`${selector} is not reachable with Tab (focus stays on ${at})`);
}

/** Tabs to a field and types into it, as a keyboard user does (a checkbox is ticked with Space, a select typed at). */
export async function keyboardFill(page: Page, selector: string, value: string | boolean): Promise<void> {
  await tabTo(page, selector);
  const kind = await page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return el ? (el.tagName === 'INPUT' ? el.type : el.tagName.toLowerCase()) : '';
  });
  if (kind === 'checkbox' || kind === 'radio') {
    const checked = await page.evaluate(() => (document.activeElement as HTMLInputElement).checked);
    if (checked !== value) await page.keyboard.press('Space');
    return;
  }
  if (kind === 'select') {
    // A closed select takes typed letters as a choice, as in every browser.
    await page.keyboard.type(String(value));
    return;
  }
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(String(value));
}

/** Tabs to a button (or link) and presses Enter; waits for the navigation it starts. */
export async function keyboardSubmit(page: Page, selector: string): Promise<void> {
  await tabTo(page, selector);
  await Promise.all([page.waitForEvent('framenavigated'), page.keyboard.press('Enter')]);
  await page.waitForLoadState('load');
}

/** A fresh browser context (its own cookies) whose visitor has answered the cookie banner with "Reject all". */
export async function newVisitor(env: JourneyEnv): Promise<{ context: BrowserContext; page: Page }> {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  watchConsole(env, page);
  await page.goto(`${env.url}/`);
  if (await page.locator('#gdpr-banner').count()) {
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.locator('#gdpr-banner').waitFor({ state: 'detached' });
  }
  return { context, page };
}

/** Records the page's CSP complaints in env.cspErrors. */
export function watchConsole(env: JourneyEnv, page: Page): void {
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) env.cspErrors.push(`${page.url()}: ${m.text()}`);
  });
}

/** Logs in through the login page (clicks; the keyboard-only login is journey 2's). */
export async function logIn(env: JourneyEnv, page: Page, login: string, password: string): Promise<void> {
  await page.goto(`${env.url}/login`);
  await page.getByLabel('Email or username').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** A visitor (own context, banner answered) logged in. */
export async function loggedIn(env: JourneyEnv, login: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const v = await newVisitor(env);
  await logIn(env, v.page, login, password);
  return v;
}

export const adminLogin = (env: JourneyEnv) => loggedIn(env, ADMIN.email, ADMIN.password);


/** After a failed test: a screenshot of each open page and its main text, to see what the journey met. */
export async function recordFailure(env: JourneyEnv, title: string): Promise<void> {
  const safe = title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  let n = 0;
  for (const context of env.browser.contexts()) {
    for (const p of context.pages()) {
      n++;
      await p.screenshot({ path: path.join(SCREENSHOTS, `${env.prefix}-FAILED-${safe}-${n}.png`), fullPage: true }).catch(() => {});
      const text = await p.locator('main').innerText({ timeout: 2000 }).catch(() => '(no main)');
      console.log(`--- failed "${title}", page ${n} at ${p.url()}:\n${text.slice(0, 1500)}\nCSP: ${env.cspErrors.join("\n")}`);
    }
  }
}

/** Fills the checkout's address (the signed-in buyer's email is already there) and ticks the policies it asks for. */
export async function fillAddress(page: Page, fullName: string): Promise<void> {
  const name = page.getByLabel('Full name');
  if (!(await name.inputValue())) await name.fill(fullName);
  await page.getByLabel('Street address').fill('4 Rue du Port');
  await page.getByLabel('Postcode').fill('29200');
  await page.getByLabel('Town or city').fill('Brest');
  await page.getByLabel('Country').selectOption('FR');
  // The policies the store asks to accept at checkout (gdpr's boxes in the checkout form).
  for (const box of await page.locator('form[action="/checkout"] .gdpr-consent-box').filter({ hasText: '(required)' }).locator('input[type=checkbox]').all()) await box.check();
}

/** Ticks the consent boxes another plugin marked required in the form (gdpr's sections), with the keyboard. */
export async function tickRequired(page: Page, form: string): Promise<void> {
  const ids = await page.locator(`${form} .gdpr-consent-box`).filter({ hasText: '(required)' }).locator('input[type=checkbox]').evaluateAll((els) => els.map((e) => e.id));
  for (const id of ids) await keyboardFill(page, `#${id}`, true);
}

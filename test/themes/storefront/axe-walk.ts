import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';

/**
 * Walks a store in Chromium the way a person would, following the links on each page, and checks every
 * page it reaches at a desktop and a phone width: nothing scrolls sideways, axe-core finds nothing at
 * WCAG 2.1 A/AA (every impact, colour contrast included), the page answers 200.
 */
export const WIDTHS = [1280, 390] as const;
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; summary?: string }>;
}

export interface Problem {
  role: string;
  page: string;
  width: number;
  what: string;
}

/** Runs axe-core in the page. Evaluated through the DevTools protocol, so the page's nonce CSP stays as it is. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, summary: (n as { failureSummary?: string }).failureSummary?.split('\n').slice(0, 2).join(' ') })),
    }));
  }, WCAG_TAGS);
}

export async function loggedIn(browser: Browser, url: string, login: string, password: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${url}/login`);
  await page.getByLabel('Email or username').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

/** Addresses a walk never opens: leaving the session, files, JSON, redirects to a payment provider. */
const SKIP = [/^\/logout/, /\.(csv|json|png|jpe?g|webp|zip|pdf)$/, /\/download\//, /\/attachments\//, /^\/uploads\//, /^\/seller\/uploads\//, /\/photos\//, /^\/seller\/stripe\//, /^\/stripe\//, /\/progress$/, /^\/healthz/, /^\/themes\//, /^\/plugins\//, /^\/assets\//, /^\/follows\/unfollow/, /^\/newsletter\/(confirm|unsubscribe)/, /^\/privacy\/rights\/confirm\//, /^\/verify-email\//, /^\/password\/reset\//];

/** Segments that name one object (a number, or the slug after a listing): one of each kind is enough. */
const SLUG_PARENTS = new Set(['products', 'shops', 'policies']);

/** The kind of page an address shows, so the walk opens one product page, not thirty. */
export function pageKind(address: string): string {
  const parts = address.split('?')[0].split('/').filter(Boolean);
  return '/' + parts.map((p, i) => (/\d/.test(p) || (i > 0 && SLUG_PARENTS.has(parts[i - 1])) ? '*' : p)).join('/');
}

export interface WalkOptions {
  role: string;
  /** Where the walk starts (paths). */
  seeds: string[];
  /** Which paths this role's walk may follow. */
  scope: (pathname: string) => boolean;
  /** Kinds already checked by another role's walk (skipped here). */
  seen?: Set<string>;
  limit?: number;
  /** With a folder, each page is saved there as `<width>-<role>-<kind>.png`. */
  shotsDir?: string;
}

/** Walks from the seeds through same-origin links in scope; returns the kinds of page it checked. */
export async function walkStore(page: Page, url: string, options: WalkOptions, problems: Problem[]): Promise<string[]> {
  const origin = new URL(url).origin;
  const seen = options.seen ?? new Set<string>();
  const queue = [...options.seeds];
  const visited: string[] = [];
  const limit = options.limit ?? 60;
  while (queue.length && visited.length < limit) {
    const address = queue.shift()!;
    const kind = `${options.role} ${pageKind(address)}`;
    if (seen.has(kind)) continue;
    seen.add(kind);
    const found = await checkPage(page, url + address, options, kind, problems);
    visited.push(address);
    for (const href of found) {
      const target = new URL(href, url + address);
      if (target.origin !== origin) continue;
      const p = target.pathname;
      if (SKIP.some((re) => re.test(p)) || !options.scope(p)) continue;
      // The query stays (/messages/new?shop=3 is a page, /messages/new alone may not be); the kind ignores it.
      if (!seen.has(`${options.role} ${pageKind(p)}`) && !queue.some((q) => pageKind(q) === pageKind(p))) queue.push(p + target.search);
    }
  }
  return visited;
}

async function checkPage(page: Page, address: string, options: WalkOptions, kind: string, problems: Problem[]): Promise<string[]> {
  const name = new URL(address).pathname;
  let links: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    const response = await page.goto(address);
    const status = response?.status();
    if (!response || status !== 200) {
      problems.push({ role: options.role, page: name, width, what: `status ${status}` });
      return [];
    }
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    if (scrollWidth > innerWidth) {
      const wide = await page.evaluate((w) => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 1).slice(-3).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`), innerWidth);
      problems.push({ role: options.role, page: name, width, what: `scrolls sideways: ${scrollWidth} > ${innerWidth} (${wide.join(', ')})` });
    }
    for (const v of await axeViolations(page)) problems.push({ role: options.role, page: name, width, what: `axe ${v.impact} ${v.id}: ${v.help} ${JSON.stringify(v.nodes)}` });
    if (options.shotsDir) {
      await page.evaluate(async () => {
        const imgs = [...document.querySelectorAll('img')];
        for (const img of imgs) img.loading = 'eager';
        await Promise.all(imgs.map((img) => (img.complete ? null : new Promise((resolve) => img.addEventListener('load', resolve, { once: true })))));
      });
      await page.screenshot({ path: `${options.shotsDir}/${width}-${kind.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '')}.png`, fullPage: true });
    }
    if (width === WIDTHS[0]) {
      // Pictures load lazily and reserve their box (no layout shift); the one main picture may ask for high priority instead.
      const bad = await page.locator('img').evaluateAll((imgs) =>
        imgs
          .filter((i) => !i.getAttribute('width') || !i.getAttribute('height') || (i.getAttribute('loading') !== 'lazy' && i.getAttribute('fetchpriority') !== 'high'))
          .map((i) => i.outerHTML.slice(0, 120)),
      );
      for (const img of bad.slice(0, 3)) problems.push({ role: options.role, page: name, width, what: `picture without width, height and lazy loading: ${img}` });
    }
    if (width === WIDTHS[0]) links = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  }
  return links;
}

import fs from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { hasChromium, startBrowserApp, type BrowserApp } from '../../../helpers/browser';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Tabs until the focused element's text is `label` (keyboard only), or fails after many presses. */
async function tabTo(page: Page, label: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')) === label) return;
  }
  throw new Error(`"${label}" is not reachable with Tab`);
}

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's nonce CSP stays as it is.
  const result = (await page.evaluate(`${axeSource}\n;axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`)) as string[];
  return result;
}

describe('gdpr: the cookie banner in a browser (keyboard, equal buttons, no layout shift, axe)', function () {
  this.timeout(90_000);
  let b: BrowserApp;
  before(async function () {
    if (!hasChromium) this.skip();
    b = await startBrowserApp({ plugins: ['gdpr', 'consent-probe'], fixtures: true });
  });
  after(async () => b?.close());

  it('shows Accept all and Reject all alike, shifts nothing, and has no axe violation', async () => {
    const context = await b.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      (window as unknown as { shifts: number }).shifts = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) (window as unknown as { shifts: number }).shifts += (entry as unknown as { value: number }).value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`${b.url}/`);
    const accept = await page.getByRole('button', { name: 'Accept all' }).boundingBox();
    const reject = await page.getByRole('button', { name: 'Reject all' }).boundingBox();
    expect(accept && reject).to.not.equal(null);
    expect(Math.round(accept!.width)).to.equal(Math.round(reject!.width));
    expect(Math.round(accept!.height)).to.equal(Math.round(reject!.height));
    const [acceptStyle, rejectStyle] = await Promise.all(
      ['Accept all', 'Reject all'].map((name) => page.getByRole('button', { name }).evaluate((el) => { const s = getComputedStyle(el); return [s.backgroundColor, s.color, s.fontSize, s.fontWeight].join('|'); })),
    );
    expect(acceptStyle).to.equal(rejectStyle);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { shifts: number }).shifts)).to.equal(0);
    expect(await axeViolations(page)).to.deep.equal([]);
    await page.getByText('Settings', { exact: true }).click();
    expect(await axeViolations(page)).to.deep.equal([]);
    await context.close();
  });

  it('keyboard only: Reject all by Tab and Enter; the banner goes and no analytics runs', async () => {
    const context = await b.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${b.url}/`);
    await tabTo(page, 'Reject all');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.getElementById('gdpr-banner'));
    expect(await page.evaluate(() => (window as unknown as { probeAnalytics?: boolean }).probeAnalytics ?? false)).to.equal(false);
    const cookies = (await context.cookies()).map((c) => c.name);
    expect(cookies).to.include('gdpr_consent');
    expect(cookies.filter((n) => n.startsWith('probe_'))).to.deep.equal([]);
    await page.reload();
    expect(await page.locator('#gdpr-banner').count()).to.equal(0);
    await context.close();
  });

  it('Accept all starts the analytics script at once, without a reload', async () => {
    const context = await b.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${b.url}/`);
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'same page'));
    await page.getByRole('button', { name: 'Accept all' }).click();
    await page.waitForFunction(() => (window as unknown as { probeAnalytics?: boolean }).probeAnalytics === true);
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).to.equal('same page');
    expect(await page.locator('#gdpr-banner').count()).to.equal(0);
    await context.close();
  });

  it('works without JavaScript: the plain form posts and comes back to the page', async () => {
    const context = await b.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${b.url}/privacy/policies`);
    await page.getByRole('button', { name: 'Reject all' }).click();
    await page.waitForURL(`${b.url}/privacy/policies`);
    expect(await page.locator('#gdpr-banner').count()).to.equal(0);
    await context.close();
  });
});

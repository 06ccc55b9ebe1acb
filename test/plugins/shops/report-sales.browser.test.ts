import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ADMIN } from '../../helpers/app';
import { hasChromium, startBrowserApp, type BrowserApp } from '../../helpers/browser';
import { axeViolations, loggedIn } from '../../themes/storefront/axe-walk';
import { makeShop } from './order-helpers';
import { shopModels } from './shop-models';

/** Screenshots for a person to look at, when REPORT_SCREENSHOTS names a folder. */
const SHOTS = process.env.REPORT_SCREENSHOTS;

async function looksRight(page: Page, width: number, name: string): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
  }
  expect(overflow, `${name} scrolls sideways at ${width} px`).to.be.at.most(0);
  const chart = await page.locator('figure.report-chart svg:visible').first().boundingBox();
  expect(chart, 'a chart is drawn').to.not.equal(null);
  expect(chart!.width, `${name}'s chart fits at ${width} px`).to.be.at.most(width);
  // The chart's smallest text stays legible on a phone: at least 9 CSS pixels high.
  const smallest = await page.evaluate(() =>
    Math.min(...[...document.querySelectorAll('figure.report-chart svg text')].filter((t) => t.closest('svg')!.getClientRects().length > 0).map((t) => t.getBoundingClientRect().height)),
  );
  expect(smallest, `${name}'s chart text at ${width} px`).to.be.at.least(9);
  const violations = await axeViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes)}`), `${name} at ${width} px`).to.deep.equal([]);
}

describe('shops sales report in a real browser, at 1280 and 390 px', () => {
  let env: BrowserApp;
  before(async function () {
    if (!hasChromium) this.skip();
    this.timeout(90_000);
    env = await startBrowserApp({ plugins: ['shops'] });
  });
  after(async () => env?.close());

  it('shows the admin’s and the seller’s report with a chart and tables that fit and pass axe-core', async function () {
    this.timeout(180_000);
    const { t, browser, url } = env;
    const { CheckoutGroup, Order, Refund } = shopModels();
    const shops = [await makeShop(t, { name: 'Atelier Nord', currency: 'EUR' }), await makeShop(t, { name: 'Cotswold Clay and Glaze Workshop', currency: 'GBP' })];
    const now = new Date();
    let n = 0;
    for (const [i, { shop }] of shops.entries()) {
      for (let m = 0; m < 12; m++) {
        n++;
        const paidAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m, 10, 12));
        const total = 4000 + ((m * 1733 + i * 911) % 9000);
        const group = await CheckoutGroup.create({ reference: `AG-BR-${n}`, buyer_id: null, email: `b${n}@example.test`, currency: shop.currency, total, gateway: 'manual', status: 'paid', cart_claim: null });
        const order = await Order.create({
          number: `AG-BR-${n}-1`, group_id: group.id, shop_id: shop.id, buyer_id: null, status: 'paid', currency: shop.currency, subtotal: total, shipping_total: 0, total,
          discount_total: m % 3 === 0 ? 500 : 0, platform_discount: m % 4 === 0 ? 300 : 0, platform_fee: Math.round(total * 0.05), tax_total: Math.round(total / 6),
          shipping_method: 'Post', email: `b${n}@example.test`, ship_name: 'Buyer', ship_line1: '1 Rue', ship_city: 'Paris', ship_postcode: '75001', ship_country: 'FR', paid_at: paidAt,
        });
        if (m % 5 === 1) await Refund.create({ order_id: order.id, amount: 2500, idempotency_key: `br-${n}`, status: 'succeeded', settled_at: paidAt });
      }
    }
    // A month whose refunds outweigh its sales: a negative bar.
    await Refund.create({ order_id: (await Order.findOne({ where: { number: 'AG-BR-2-1' } }))!.id, amount: 9000, idempotency_key: 'br-big', status: 'succeeded', settled_at: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 20)) });

    const admin = await loggedIn(browser, url, ADMIN.email, ADMIN.password);
    await admin.goto(`${url}/admin/reports/sales`);
    await admin.getByRole('heading', { name: 'Sales report', level: 1 }).waitFor();
    expect(await admin.getByRole('img', { name: 'Net sales per month in EUR' }).count()).to.equal(1);
    expect(await admin.getByRole('img', { name: 'Net sales per month in GBP' }).count()).to.equal(1);
    for (const w of [1280, 390]) await looksRight(admin, w, 'admin-sales-report');
    // The form as a person uses it: a shop chosen, the same page for it.
    await admin.setViewportSize({ width: 1280, height: 900 });
    await admin.getByLabel('Shop', { exact: true }).selectOption({ label: 'Atelier Nord' });
    await admin.getByRole('button', { name: 'Show' }).click();
    await admin.waitForURL(/shop=/);
    expect(await admin.getByRole('img', { name: 'Net sales per month in GBP' }).count()).to.equal(0);

    const seller = await loggedIn(browser, url, shops[1].seller.email, shops[1].password);
    await seller.goto(`${url}/seller/reports`);
    await seller.getByRole('heading', { name: 'Sales report', level: 1 }).waitFor();
    expect(await seller.getByRole('img', { name: 'Net sales per month in EUR' }).count(), 'another shop’s figures').to.equal(0);
    for (const w of [1280, 390]) await looksRight(seller, w, 'seller-sales-report');
  });
});

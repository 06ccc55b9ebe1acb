import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import type supertest from 'supertest';
import { formatMoney } from '../../../../core/http/money';
import { csrfFrom, login, loginAsAdmin, startTestApp, type TestApp } from '../../../helpers/app';
import { usePostgres } from '../../../helpers/database';
import type { Order } from '../../../../plugins/shops/models/order';
import type { Shop } from '../../../../plugins/shops/models/shop';
import type * as SalesReportModule from '../../../../plugins/shops/services/sales-report';
import type * as MonthsModule from '../../../../plugins/shops/services/sales-report-months';
import { makeShop, pluginModule, setShopsSettings } from '../order-helpers';
import { shopModels } from '../shop-models';

/**
 * The sales report against the orders it sums: paid, fully refunded and partly refunded orders of three shops
 * in two currencies over three months, in a store on Paris time. Every figure on the page and in the CSV is
 * compared with a sum made here, in JavaScript, from the order and refund rows.
 */
const FIGURES = ['orders', 'gross', 'sellerCoupons', 'platformCoupons', 'refunds', 'net', 'tax', 'fees'] as const;
type Figure = (typeof FIGURES)[number];
type Figures = Record<Figure, number>;
const zero = (): Figures => ({ orders: 0, gross: 0, sellerCoupons: 0, platformCoupons: 0, refunds: 0, net: 0, tax: 0, fees: 0 });
const ZONE = 'Europe/Paris';
/** The month of an instant on Paris time, "2026-02", by Intl (not by the report's code). */
const parisMonth = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit' }).format(d).slice(0, 7);

interface Spec {
  shop: 'a' | 'b' | 'c';
  subtotal: number;
  shipping?: number;
  discount?: number;
  platformDiscount?: number;
  tax: number;
  fee: number;
  paidAt?: string;
  /** Refunds through the seller's form, then dated. */
  refunds?: Array<{ amount: number; at: string }>;
}

describe('shops: sales report (/admin/reports/sales, /seller/reports)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let shops: Record<'a' | 'b' | 'c', { shop: Shop; seller: { email: string }; password: string }>;
  let admin: supertest.Agent;
  let report: typeof SalesReportModule;
  let months: typeof MonthsModule;
  const orders: Order[] = [];
  let seq = 0;

  async function sellerAgent(key: 'a' | 'b' | 'c') {
    const agent = t.agent();
    await login(agent, shops[key].seller.email, shops[key].password);
    return agent;
  }

  /** A pending order written with the models, paid and refunded through the seller's order page, then dated. */
  async function placeOrder(spec: Spec): Promise<Order> {
    const { CheckoutGroup, Order, OrderItem, Refund } = shopModels();
    const { shop } = shops[spec.shop];
    seq++;
    const total = spec.subtotal + (spec.shipping ?? 0) - (spec.discount ?? 0) - (spec.platformDiscount ?? 0);
    const reference = `AG-RPT-${Date.now().toString(36).toUpperCase()}${seq}`;
    const group = await CheckoutGroup.create({ reference, buyer_id: null, email: `buyer${seq}@example.test`, currency: shop.currency, total, gateway: 'manual', status: 'pending', cart_claim: null });
    const order = await Order.create({
      number: `${reference}-1`, group_id: group.id, shop_id: shop.id, buyer_id: null, status: 'pending', currency: shop.currency,
      subtotal: spec.subtotal, shipping_total: spec.shipping ?? 0, discount_total: spec.discount ?? 0, platform_discount: spec.platformDiscount ?? 0,
      total, platform_fee: spec.fee, tax_total: spec.tax, shipping_method: 'Post', email: `buyer${seq}@example.test`, ship_name: `Buyer ${seq}`,
      ship_line1: '1 Rue de Rivoli', ship_city: 'Paris', ship_postcode: '75001', ship_country: 'FR',
    });
    await OrderItem.create({ order_id: order.id, product_id: null, title: 'Bowl', unit_price: spec.subtotal, quantity: 1, line_total: spec.subtotal, tax_rate: 2000, tax_amount: spec.tax });
    if (spec.paidAt) {
      const agent = await sellerAgent(spec.shop);
      const page = await agent.get(`/seller/orders/${order.number}`).expect(200);
      await agent.post(`/seller/orders/${order.number}/status`).type('form').send({ _csrf: csrfFrom(page.text), to: 'paid', note: '' }).expect(303);
      await Order.update({ paid_at: new Date(spec.paidAt) }, { where: { id: order.id } });
      for (const [i, refund] of (spec.refunds ?? []).entries()) {
        const before = await agent.get(`/seller/orders/${order.number}`).expect(200);
        const key = `report-refund-${seq}-${i}-${Date.now()}`;
        const amount = (refund.amount / 100).toFixed(2);
        await agent.post(`/seller/orders/${order.number}/refund`).type('form').send({ _csrf: csrfFrom(before.text), amount, idempotency_key: key, reason: 'Broken in transit' }).expect(303);
        const [n] = await Refund.update({ settled_at: new Date(refund.at) }, { where: { idempotency_key: key, status: 'succeeded' } });
        expect(n, 'the refund went through').to.equal(1);
      }
    }
    const saved = (await Order.findByPk(order.id))!;
    orders.push(saved);
    return saved;
  }

  /** The sums the report must show, made from the rows: sales by the Paris month of paid_at, refunds by that of settled_at. */
  async function expected(filter: { shopIds?: number[]; currency?: string; from: string; to: string }) {
    const { Order, Refund } = shopModels();
    const rows = new Map<string, Figures & { shopId: number; currency: string; month: string }>();
    const inRange = (m: string) => m >= filter.from && m <= filter.to;
    const keep = (o: Order) => (!filter.shopIds || filter.shopIds.includes(o.shop_id)) && (!filter.currency || o.currency === filter.currency);
    const row = (o: Order, month: string) => {
      const key = `${o.shop_id}|${o.currency}|${month}`;
      if (!rows.has(key)) rows.set(key, { ...zero(), shopId: o.shop_id, currency: o.currency, month });
      return rows.get(key)!;
    };
    const all = await Order.findAll({ where: { id: orders.map((o) => o.id) } });
    for (const o of all) {
      if (!o.paid_at || !keep(o) || !inRange(parisMonth(o.paid_at))) continue;
      const r = row(o, parisMonth(o.paid_at));
      r.orders += 1;
      r.gross += o.subtotal + o.shipping_total;
      r.sellerCoupons += o.discount_total;
      r.platformCoupons += o.platform_discount;
      r.tax += o.tax_total;
      r.fees += o.platform_fee;
    }
    for (const refund of await Refund.findAll({ where: { order_id: orders.map((o) => o.id), status: 'succeeded' } })) {
      const o = all.find((x) => x.id === refund.order_id)!;
      if (!keep(o) || !inRange(parisMonth(refund.settled_at!))) continue;
      row(o, parisMonth(refund.settled_at!)).refunds += refund.amount;
    }
    for (const r of rows.values()) r.net = r.gross - r.sellerCoupons - r.platformCoupons - r.refunds;
    return [...rows.values()];
  }

  /** The figures of each `<tr data-…>` of the page's tables, by currency table, as written. */
  function pageRows(html: string) {
    const out: Array<{ table: string; currency: string; shop?: string; month: string; cells: Record<string, string> }> = [];
    for (const table of html.matchAll(/<table class="table report-table( report-shops)?" data-currency="([A-Z]{3})">([\s\S]*?)<\/table>/g)) {
      for (const tr of table[3].matchAll(/<tr (?:data-shop="(\d+)" )?data-month="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)) {
        const cells: Record<string, string> = {};
        for (const td of tr[3].matchAll(/data-figure="(\w+)" class="num">([^<]*)</g)) cells[td[1]] = td[2];
        out.push({ table: table[1] ? 'shops' : 'months', currency: table[2], shop: tr[1], month: tr[2], cells });
      }
    }
    return out;
  }

  const text = (f: Figure, v: number, currency: string) => (f === 'orders' ? String(v) : formatMoney(v, currency));
  const sum = (rows: Figures[]) => rows.reduce((acc, r) => { for (const f of FIGURES) acc[f] += r[f]; return acc; }, zero());

  before(async () => {
    t = await startTestApp({ plugins: ['shops'] });
    await setShopsSettings(t, { timeZone: ZONE });
    report = await pluginModule<typeof SalesReportModule>('services/sales-report.ts');
    months = await pluginModule<typeof MonthsModule>('services/sales-report-months.ts');
    const make = async (name: string, currency: string) => {
      const { shop, seller, password } = await makeShop(t, { name, currency });
      return { shop, seller, password };
    };
    shops = { a: await make('Atelier Nord', 'EUR'), b: await make('Bottega Sud', 'EUR'), c: await make('Cotswold Clay', 'GBP') };
    // January (Paris)
    await placeOrder({ shop: 'a', subtotal: 10000, shipping: 500, discount: 1000, tax: 1583, fee: 450, paidAt: '2026-01-10T10:00:00Z' });
    await placeOrder({ shop: 'a', subtotal: 5000, platformDiscount: 500, tax: 750, fee: 250, paidAt: '2026-01-20T09:00:00Z', refunds: [{ amount: 4500, at: '2026-01-25T12:00:00Z' }] });
    await placeOrder({ shop: 'c', subtotal: 3000, tax: 500, fee: 150, paidAt: '2026-01-15T15:00:00Z', refunds: [{ amount: 1000, at: '2026-02-03T08:00:00Z' }] });
    // 23:30 UTC on 31 January is 00:30 on 1 February in Paris: a February sale.
    await placeOrder({ shop: 'b', subtotal: 2000, shipping: 490, tax: 415, fee: 100, paidAt: '2026-01-31T23:30:00Z' });
    // February
    await placeOrder({ shop: 'a', subtotal: 8000, discount: 800, platformDiscount: 700, tax: 1083, fee: 360, paidAt: '2026-02-14T11:00:00Z', refunds: [{ amount: 2000, at: '2026-02-20T10:00:00Z' }, { amount: 500, at: '2026-03-02T10:00:00Z' }] });
    await placeOrder({ shop: 'c', subtotal: 1200, tax: 200, fee: 60, paidAt: '2026-02-28T23:30:00Z' }); // March in Paris
    await placeOrder({ shop: 'b', subtotal: 999, tax: 166, fee: 50, paidAt: '2025-12-31T22:59:00Z' }); // still December in Paris
    // Never paid: not a sale.
    await placeOrder({ shop: 'a', subtotal: 7000, tax: 1167, fee: 350 });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t?.close());

  it('shows every shop, month and currency as the orders and refunds add up, each currency on its own', async () => {
    const res = await admin.get('/admin/reports/sales?from=2026-01&to=2026-03').expect(200);
    expect(res.headers['content-security-policy']).to.match(/script-src/);
    expect(res.text).to.not.match(/<script(?![^>]*src=)/);
    const rows = pageRows(res.text);
    const want = await expected({ from: '2026-01', to: '2026-03' });
    expect(want.length, "the fixture spans rows").to.equal(7);

    // Each shop's month: every figure.
    const shopRows = rows.filter((r) => r.table === 'shops' && r.month !== 'total');
    expect(shopRows.map((r) => `${r.currency} ${r.shop} ${r.month}`).sort()).to.deep.equal(want.map((w) => `${w.currency} ${w.shopId} ${w.month}`).sort());
    for (const w of want) {
      const row = shopRows.find((r) => r.shop === String(w.shopId) && r.month === w.month && r.currency === w.currency)!;
      for (const f of FIGURES) expect(row.cells[f], `${w.currency} shop ${w.shopId} ${w.month} ${f}`).to.equal(text(f, w[f], w.currency));
    }
    // The months' totals and the grand total of each currency, and each shop's total.
    for (const currency of ['EUR', 'GBP']) {
      for (const month of ['2026-01', '2026-02', '2026-03', 'total']) {
        const total = sum(want.filter((w) => w.currency === currency && (month === 'total' || w.month === month)));
        const row = rows.find((r) => r.table === 'months' && r.currency === currency && r.month === month)!;
        for (const f of FIGURES) expect(row.cells[f], `${currency} ${month} ${f}`).to.equal(text(f, total[f], currency));
      }
      for (const shopId of new Set(want.filter((w) => w.currency === currency).map((w) => w.shopId))) {
        const total = sum(want.filter((w) => w.shopId === shopId));
        const row = rows.find((r) => r.table === 'shops' && r.shop === String(shopId) && r.month === 'total')!;
        for (const f of FIGURES) expect(row.cells[f], `shop ${shopId} total ${f}`).to.equal(text(f, total[f], currency));
      }
    }

    // And by hand, so the oracle above cannot share a mistake with the report.
    const eurJan = rows.find((r) => r.table === 'months' && r.currency === 'EUR' && r.month === '2026-01')!.cells;
    expect(eurJan).to.deep.equal({ orders: '2', gross: '€155.00', sellerCoupons: '€10.00', platformCoupons: '€5.00', refunds: '€45.00', net: '€95.00', tax: '€23.33', fees: '€7.00' });
    const eurFeb = rows.find((r) => r.table === 'months' && r.currency === 'EUR' && r.month === '2026-02')!.cells;
    expect(eurFeb).to.deep.equal({ orders: '2', gross: '€104.90', sellerCoupons: '€8.00', platformCoupons: '€7.00', refunds: '€20.00', net: '€69.90', tax: '€14.98', fees: '€4.60' });
    const eurMar = rows.find((r) => r.table === 'months' && r.currency === 'EUR' && r.month === '2026-03')!.cells;
    expect(eurMar).to.deep.equal({ orders: '0', gross: '€0.00', sellerCoupons: '€0.00', platformCoupons: '€0.00', refunds: '€5.00', net: '-€5.00', tax: '€0.00', fees: '€0.00' });
    const gbp = rows.find((r) => r.table === 'months' && r.currency === 'GBP' && r.month === 'total')!.cells;
    expect(gbp).to.deep.equal({ orders: '2', gross: '£42.00', sellerCoupons: '£0.00', platformCoupons: '£0.00', refunds: '£10.00', net: '£32.00', tax: '£7.00', fees: '£2.10' });
    expect(res.text).to.contain('Europe/Paris');
  });

  it('draws one accessible SVG chart per currency, no script, the same months as the table', async () => {
    const res = await admin.get('/admin/reports/sales?from=2026-01&to=2026-03').expect(200);
    const charts = [...res.text.matchAll(/<svg [^>]*role="img" aria-labelledby="(sales-chart-[\w-]+)-title \1-desc"[^>]*>([\s\S]*?)<\/svg>/g)];
    // Each in two layouts (desktop and phone; the stylesheet shows one), both labelled.
    expect(charts.map((c) => c[1])).to.deep.equal(['sales-chart-eur', 'sales-chart-eur-compact', 'sales-chart-gbp', 'sales-chart-gbp-compact']);
    const eur = charts[0][2];
    expect(charts[1][2], 'the phone layout says the same').to.contain('<title id="sales-chart-eur-compact-title">Net sales per month in EUR</title>');
    expect(eur).to.match(/<title id="sales-chart-eur-title">Net sales per month in EUR<\/title>/);
    expect(eur).to.contain('January 2026: net €95.00, refunds €45.00; February 2026: net €69.90, refunds €20.00; March 2026: net -€5.00, refunds €5.00.');
    expect((eur.match(/class="bar-net"/g) ?? []).length).to.equal(3);
    // March's net is negative: its bar ends at zero and starts left of it.
    const bars = [...eur.matchAll(/class="bar-net" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(bars[2][0] + bars[2][1]).to.be.closeTo(bars[0][0], 0.2);
    expect(bars[0][1]).to.be.greaterThan(bars[1][1]);
  });

  it('exports the same figures as CSV, one line per shop and month', async () => {
    const res = await admin.get('/admin/reports/sales.csv?from=2026-01&to=2026-03&currency=EUR').expect(200);
    expect(res.headers['content-type']).to.match(/text\/csv/);
    expect(res.headers['content-disposition']).to.equal('attachment; filename="sales-report-2026-01-to-2026-03.csv"');
    const lines = res.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).to.equal('month,shop_id,shop,currency,orders,gross_sales,seller_coupons,platform_coupons,refunds,refund_count,net_sales,tax,platform_fees');
    const want = await expected({ from: '2026-01', to: '2026-03', currency: 'EUR' });
    const { Refund } = shopModels();
    const refundCount = async (shopId: number, month: string) =>
      (await Refund.findAll({ where: { order_id: orders.filter((o) => o.shop_id === shopId).map((o) => o.id), status: 'succeeded' } })).filter((r) => parisMonth(r.settled_at!) === month).length;
    const major = (v: number) => String(v / 100);
    const rows = [];
    for (const w of want.sort((x, y) => x.month.localeCompare(y.month) || (x.shopId === shops.a.shop.id ? -1 : 1))) {
      const name = w.shopId === shops.a.shop.id ? 'Atelier Nord' : 'Bottega Sud';
      rows.push([w.month, w.shopId, name, 'EUR', w.orders, major(w.gross), major(w.sellerCoupons), major(w.platformCoupons), major(w.refunds), await refundCount(w.shopId, w.month), major(w.net), major(w.tax), major(w.fees)].join(','));
    }
    expect(lines.slice(1)).to.deep.equal(rows);
    // A negative net is a number, not text with the apostrophe that keeps formulas out.
    expect(lines).to.include(`2026-03,${shops.a.shop.id},Atelier Nord,EUR,0,0,0,0,5,1,-5,0,0`);
    expect(lines).to.include(`2026-01,${shops.a.shop.id},Atelier Nord,EUR,2,155,10,5,45,1,95,23.33,7`);
  });

  it('filters by shop and currency, and shows a seller their own shop only, whatever the address asks', async () => {
    const b = shops.b.shop.id;
    const onlyB = pageRows((await admin.get(`/admin/reports/sales?from=2025-12&to=2026-03&shop=${b}`).expect(200)).text);
    expect([...new Set(onlyB.filter((r) => r.table === 'shops').map((r) => r.shop))]).to.deep.equal([String(b)]);
    const gbpOnly = pageRows((await admin.get('/admin/reports/sales?from=2026-01&to=2026-03&currency=gbp').expect(200)).text);
    expect([...new Set(gbpOnly.map((r) => r.currency))]).to.deep.equal(['GBP']);

    const seller = await sellerAgent('a');
    for (const url of ['/seller/reports?from=2026-01&to=2026-03', `/seller/reports?from=2026-01&to=2026-03&shop=${b}`]) {
      const res = await seller.get(url).expect(200);
      expect(res.text).to.contain('Sales report');
      expect(res.text).to.not.contain('Bottega Sud');
      const rows = pageRows(res.text);
      const want = sum(await expected({ from: '2026-01', to: '2026-03', shopIds: [shops.a.shop.id] }));
      const total = rows.find((r) => r.table === 'months' && r.month === 'total')!.cells;
      for (const f of FIGURES) expect(total[f], f).to.equal(text(f, want[f], 'EUR'));
      expect(rows.some((r) => r.currency === 'GBP')).to.equal(false);
    }
    const csv = await seller.get(`/seller/reports.csv?from=2026-01&to=2026-03&shop=${b}`).expect(200);
    const ids = csv.text.trim().split('\r\n').slice(1).map((l) => l.split(',')[1]);
    expect(ids.length).to.be.greaterThan(0);
    expect(new Set(ids)).to.deep.equal(new Set([String(shops.a.shop.id)]));

    // The admin's report is the admin's: a seller gets 403, a guest the login page.
    await seller.get('/admin/reports/sales').expect(403);
    await seller.get('/admin/reports/sales.csv').expect(403);
    const guest = await t.agent().get('/seller/reports');
    expect(guest.status).to.be.oneOf([302, 303]);
    expect(guest.headers.location).to.match(/^\/login/);
  });

  it('says what is wrong with a filter beside it (422) and still shows a report', async () => {
    const res = await admin.get('/admin/reports/sales?from=2026-13&to=2026-02').expect(422);
    expect(res.text).to.contain('Enter a month as YYYY-MM');
    expect(res.text).to.contain('aria-invalid=true');
    const backwards = await admin.get('/admin/reports/sales?from=2026-03&to=2026-01').expect(422);
    expect(backwards.text).to.contain('The last month is before the first');
    const tooLong = await admin.get('/admin/reports/sales?from=2000-01&to=2026-01').expect(422);
    expect(tooLong.text).to.contain('at most 120 months');
    await admin.get('/admin/reports/sales?currency=XYZ&shop=abc').expect(422);
    // The months run on the store's zone: the default ends with this month in Paris.
    const plain = await admin.get('/admin/reports/sales').expect(200);
    expect(plain.text).to.contain(`value="${months.monthKey(0, ZONE)}"`);
  });

  it('sums in SQL along the partial indexes of migration 0024', async () => {
    const sequelize = t.platform.sequelize;
    const { CheckoutGroup, Order, Refund } = shopModels();
    const monthList = months.monthsBetween('2025-01', '2026-12', ZONE);
    const rows = await report.reportRows({ months: monthList });
    expect(rows.find((r) => r.month === '2025-12')?.orders, 'the December sale of Paris').to.equal(1);

    // The planner's choice on a store with years of orders (a few thousand, ten years), rolled back after.
    const plans: string[] = [];
    class Rollback extends Error {}
    await sequelize
      .transaction(async (transaction) => {
        const group = await CheckoutGroup.create({ reference: `AG-RPT-BULK-${Date.now()}`, buyer_id: null, email: 'bulk@example.test', currency: 'EUR', total: 0, gateway: 'manual', status: 'paid', cart_claim: null }, { transaction });
        const base = Date.UTC(2017, 0, 1);
        const bulk = Array.from({ length: 4000 }, (_, i) => ({
          number: `AG-RPT-BULK-${i}`, group_id: group.id, shop_id: [shops.a, shops.b, shops.c][i % 3].shop.id, buyer_id: null, status: 'paid' as const, currency: i % 3 === 2 ? 'GBP' : 'EUR',
          subtotal: 1000, shipping_total: 0, total: 1000, platform_fee: 50, tax_total: 167, shipping_method: 'Post', email: 'bulk@example.test', ship_name: 'Bulk',
          ship_line1: '1 Rue', ship_city: 'Paris', ship_postcode: '75001', ship_country: 'FR', paid_at: new Date(base + i * 79_000_000), created_at: new Date(base + i * 79_000_000),
        }));
        const created = await Order.bulkCreate(bulk, { transaction });
        await Refund.bulkCreate(created.filter((_, i) => i % 4 === 0).map((o, i) => ({ order_id: o.id, amount: 100, idempotency_key: `bulk-${i}-${Date.now()}`, status: 'succeeded' as const, settled_at: o.paid_at })), { transaction });
        await sequelize.query('ANALYZE', { transaction });
        if (usePostgres) await sequelize.query('SET LOCAL enable_seqscan = off', { transaction });
        for (const shopIds of [undefined, [shops.a.shop.id]]) {
          const built = report.buildReportQueries({ months: monthList, shopIds });
          for (const sql of [built.ordersSql, built.refundsSql]) {
            const explained = await sequelize.query<Record<string, string>>(`${usePostgres ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} ${sql}`, { replacements: built.replacements, type: QueryTypes.SELECT, transaction });
            plans.push(explained.map((r) => r['QUERY PLAN'] ?? r.detail).join('\n'));
          }
        }
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    const [allOrders, allRefunds, shopOrders, shopRefunds] = plans;
    // With three shops a skip-scan of the per-shop index is as cheap; with many, the planners take the date-first one.
    expect(allOrders, allOrders).to.match(/orders_(shop_)?paid_report/);
    expect(allRefunds, allRefunds).to.match(/refunds_(shop_)?settled_report/);
    expect(shopOrders, shopOrders).to.contain('orders_shop_paid_report');
    expect(shopRefunds, shopRefunds).to.contain('refunds_shop_settled_report');
    // SQLite reads the indexes alone; PostgreSQL too once VACUUM has marked the pages (not inside this transaction).
    if (!usePostgres) for (const plan of plans) expect(plan, plan).to.contain('COVERING INDEX');
    // The refund carries its order's shop and currency, copied when it was written.
    const refunded = (await Refund.findAll({ where: { order_id: orders.map((o) => o.id) } }))[0];
    const itsOrder = orders.find((o) => o.id === refunded.order_id)!;
    expect([refunded.shop_id, refunded.currency]).to.deep.equal([itsOrder.shop_id, itsOrder.currency]);
    expect(await Order.count({ where: { shop_id: shops.a.shop.id } }), 'rolled back').to.equal(orders.filter((o) => o.shop_id === shops.a.shop.id).length);
  });
});

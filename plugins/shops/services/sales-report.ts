import { QueryTypes, type Sequelize } from 'sequelize';
import { Order } from '../models/order';
import { Shop } from '../models/shop';
import type { ReportMonth } from './sales-report-months';

/**
 * The sales report (docs/shops-reports.md): per shop, month and currency, summed in SQL on the partial indexes of
 * migration 0024, never across currencies.
 *
 * - A sale is an order whose payment was taken (`paid_at` set), counted in the month it was paid, whatever
 *   happened to it since (shipped, refunded, cancelled after a full refund).
 * - A refund is a succeeded refund record, counted in the month it settled, under its order's shop and currency
 *   (copied onto the refund by migration 0024's trigger):
 *   a March order refunded in April lowers April's net, as the money left in April.
 * - Gross = what the orders came to before coupons (`total + discount_total + platform_discount`: items,
 *   shipping and tax); coupons are shown by who pays them; net = gross − both coupons − refunds, which is what
 *   buyers paid less what was given back. Tax and platform fees are those of the month's sales.
 */
export interface ReportFigures {
  orders: number;
  gross: number;
  sellerCoupons: number;
  platformCoupons: number;
  refunds: number;
  refundCount: number;
  net: number;
  tax: number;
  fees: number;
}

export interface ReportRow extends ReportFigures {
  month: string;
  shopId: number;
  currency: string;
}

export interface ReportQuery {
  months: ReportMonth[];
  /** Only these shops; undefined: every shop (the admin). */
  shopIds?: number[];
  currency?: string;
}

export interface CurrencyReport {
  currency: string;
  /** One per month of the query, in order, every shop's together (zeros for a month without sales). */
  months: Array<ReportFigures & { month: ReportMonth }>;
  /** Each shop's months with sales or refunds, shops by name, then months in order. */
  shops: Array<{ shopId: number; shopName: string; months: Array<ReportFigures & { month: ReportMonth }>; total: ReportFigures }>;
  total: ReportFigures;
}

export interface SalesReport {
  months: ReportMonth[];
  /** Currencies with sales or refunds in the period, alphabetically: one chart and table each. */
  currencies: CurrencyReport[];
  rows: ReportRow[];
}

export const zeroFigures = (): ReportFigures => ({ orders: 0, gross: 0, sellerCoupons: 0, platformCoupons: 0, refunds: 0, refundCount: 0, net: 0, tax: 0, fees: 0 });

function add(into: ReportFigures, row: ReportFigures): ReportFigures {
  for (const key of Object.keys(into) as Array<keyof ReportFigures>) into[key] += row[key];
  return into;
}

/** `CASE WHEN col < :m1 THEN 0 WHEN col < :m2 THEN 1 ... END`: the month index of an instant, the same SQL on both databases. */
function monthCase(column: string, months: ReportMonth[], replacements: Record<string, unknown>): string {
  const branches = months.map((m, i) => {
    replacements[`monthEnd${i}`] = m.end;
    return `WHEN ${column} < :monthEnd${i} THEN ${i}`;
  });
  return `CASE ${branches.join(' ')} END`;
}

interface OrderSums {
  shop_id: number;
  currency: string;
  m: number | string;
  orders: number | string;
  gross: number | string | null;
  seller_coupons: number | string | null;
  platform_coupons: number | string | null;
  tax: number | string | null;
  fees: number | string | null;
}

interface RefundSums {
  shop_id: number;
  currency: string;
  m: number | string;
  refund_count: number | string;
  refunds: number | string | null;
}

/** The SQL of both sums, with their replacements: pure, so the tests can EXPLAIN exactly what runs. */
export function buildReportQueries(query: ReportQuery): { ordersSql: string; refundsSql: string; replacements: Record<string, unknown> } {
  const { months } = query;
  const replacements: Record<string, unknown> = { from: months[0].start, to: months[months.length - 1].end };
  const orderFilters: string[] = [];
  const refundFilters: string[] = [];
  if (query.shopIds) {
    replacements.shopIds = query.shopIds.length ? query.shopIds : [-1];
    orderFilters.push('AND shop_id IN (:shopIds)');
    refundFilters.push('AND shop_id IN (:shopIds)');
  }
  if (query.currency) {
    replacements.currency = query.currency;
    orderFilters.push('AND currency = :currency');
    refundFilters.push('AND currency = :currency');
  }
  const ordersSql = `SELECT shop_id, currency, ${monthCase('paid_at', months, replacements)} AS m, COUNT(*) AS orders,
  SUM(total + discount_total + platform_discount) AS gross, SUM(discount_total) AS seller_coupons, SUM(platform_discount) AS platform_coupons,
  SUM(tax_total) AS tax, SUM(platform_fee) AS fees
FROM orders
WHERE paid_at >= :from AND paid_at < :to ${orderFilters.join(' ')}
GROUP BY shop_id, currency, m`;
  // The refund carries its order's shop and currency (migration 0024): no join.
  const refundsSql = `SELECT shop_id, currency, ${monthCase('settled_at', months, replacements)} AS m, COUNT(*) AS refund_count, SUM(amount) AS refunds
FROM refunds
WHERE status = 'succeeded' AND settled_at >= :from AND settled_at < :to ${refundFilters.join(' ')}
GROUP BY shop_id, currency, m`;
  return { ordersSql, refundsSql, replacements };
}

/** The report's rows: one per shop, month and currency with a sale or a refund. */
export async function reportRows(query: ReportQuery, sequelize: Sequelize = Order.sequelize!): Promise<ReportRow[]> {
  if (!query.months.length) return [];
  const { ordersSql, refundsSql, replacements } = buildReportQueries(query);
  const [sales, refunds] = await Promise.all([
    sequelize.query<OrderSums>(ordersSql, { replacements, type: QueryTypes.SELECT }),
    sequelize.query<RefundSums>(refundsSql, { replacements, type: QueryTypes.SELECT }),
  ]);
  const rows = new Map<string, ReportRow>();
  const rowOf = (shopId: number, currency: string, m: number): ReportRow => {
    const key = `${shopId}|${currency}|${m}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { ...zeroFigures(), month: query.months[m].key, shopId: Number(shopId), currency }));
    return row;
  };
  for (const s of sales) {
    const row = rowOf(s.shop_id, s.currency, Number(s.m));
    row.orders += Number(s.orders);
    row.gross += Number(s.gross ?? 0);
    row.sellerCoupons += Number(s.seller_coupons ?? 0);
    row.platformCoupons += Number(s.platform_coupons ?? 0);
    row.tax += Number(s.tax ?? 0);
    row.fees += Number(s.fees ?? 0);
  }
  for (const r of refunds) {
    const row = rowOf(r.shop_id, r.currency, Number(r.m));
    row.refunds += Number(r.refunds ?? 0);
    row.refundCount += Number(r.refund_count);
  }
  for (const row of rows.values()) row.net = row.gross - row.sellerCoupons - row.platformCoupons - row.refunds;
  const monthIndex = new Map(query.months.map((m, i) => [m.key, i]));
  return [...rows.values()].sort((a, b) => a.currency.localeCompare(b.currency) || monthIndex.get(a.month)! - monthIndex.get(b.month)! || a.shopId - b.shopId);
}

/** The whole report: rows grouped by currency, with every month's total and each shop's. */
export async function salesReport(query: ReportQuery): Promise<SalesReport> {
  const rows = await reportRows(query);
  const shopIds = [...new Set(rows.map((r) => r.shopId))];
  const names = new Map((shopIds.length ? await Shop.findAll({ where: { id: shopIds }, attributes: ['id', 'name'] }) : []).map((s) => [s.id, s.name]));
  const currencies = [...new Set(rows.map((r) => r.currency))].sort();
  return {
    months: query.months,
    rows,
    currencies: currencies.map((currency) => {
      const mine = rows.filter((r) => r.currency === currency);
      const months = query.months.map((month) => ({ month, ...mine.filter((r) => r.month === month.key).reduce(add, zeroFigures()) }));
      const shops = [...new Set(mine.map((r) => r.shopId))]
        .map((shopId) => {
          const own = mine.filter((r) => r.shopId === shopId);
          return {
            shopId,
            shopName: names.get(shopId) ?? `Shop #${shopId}`,
            months: query.months.flatMap((month) => own.filter((r) => r.month === month.key).map((r) => ({ ...r, month }))),
            total: own.reduce(add, zeroFigures()),
          };
        })
        .sort((a, b) => a.shopName.localeCompare(b.shopName) || a.shopId - b.shopId);
      return { currency, months, shops, total: mine.reduce(add, zeroFigures()) };
    }),
  };
}

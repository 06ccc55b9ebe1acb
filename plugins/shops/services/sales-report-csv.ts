import { csvRow, minorPerMajor } from '@agora/core';
import type { SalesReport } from './sales-report';

export const REPORT_CSV_COLUMNS = [
  'month', 'shop_id', 'shop', 'currency', 'orders', 'gross_sales', 'seller_coupons', 'platform_coupons', 'refunds', 'refund_count', 'net_sales', 'tax', 'platform_fees',
] as const;

/**
 * Minor units in major units, as a number (1234.5, -5, 1200 in JPY): core's CSV cell writes a number as it is,
 * where a text starting with "-" would get the apostrophe that keeps formulas out.
 */
export function majorUnits(minor: number, currency: string): number {
  return minor / minorPerMajor(currency);
}

/** The report's rows as CSV (core's formula-safe cells): one line per shop, month and currency, as on the page. */
export async function* salesReportCsv(report: SalesReport): AsyncGenerator<string> {
  yield csvRow(REPORT_CSV_COLUMNS);
  for (const c of report.currencies) {
    const byMonth = new Map(report.months.map((m, i) => [m.key, i]));
    const lines = c.shops.flatMap((s) => s.months.map((m) => ({ shop: s, m }))).sort((a, b) => byMonth.get(a.m.month.key)! - byMonth.get(b.m.month.key)! || a.shop.shopName.localeCompare(b.shop.shopName));
    for (const { shop, m } of lines) {
      const money = (v: number) => majorUnits(v, c.currency);
      yield csvRow([m.month.key, shop.shopId, shop.shopName, c.currency, m.orders, money(m.gross), money(m.sellerCoupons), money(m.platformCoupons), money(m.refunds), m.refundCount, money(m.net), money(m.tax), money(m.fees)]);
    }
  }
}

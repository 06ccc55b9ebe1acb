import { z } from 'zod';
import { SHOP_CURRENCIES } from '../forms/shop-form';
import { MAX_REPORT_MONTHS, monthKey, monthSpan, monthStart, monthsBetween, type ReportMonth } from '../services/sales-report-months';

/**
 * The sales report's filters (a GET form, the admin's and the seller's): months as YYYY-MM (an
 * `<input type="month">`), a shop (admin only) and a currency. A value that makes no sense is said beside its
 * field and the default is used instead, so a hand-edited address still shows a report.
 */
const text = (max: number) => z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().trim().max(max).optional().catch(undefined));

export const reportQuery = z.object({
  from: text(20),
  to: text(20),
  shop: text(20),
  currency: text(10),
});

export type ReportQueryInput = z.infer<typeof reportQuery>;

export interface ReportFilters {
  from: string;
  to: string;
  months: ReportMonth[];
  shopId?: number;
  currency?: string;
}

export interface ParsedReportFilters {
  filters: ReportFilters;
  errors: Record<string, string>;
  /** What the form shows: what was typed, even when refused, else the months shown. */
  values: { from: string; to: string; shop: string; currency: string };
  /** The filters that applied, for the CSV link (a refused one is left out). */
  applied: Record<string, string>;
}

/** The default period: the last twelve months, this one included. */
export const DEFAULT_MONTHS = 12;

export function parseReportFilters(query: Record<string, unknown>, zone: string, options: { shops?: boolean; now?: Date } = {}): ParsedReportFilters {
  const input = reportQuery.parse(query);
  const errors: Record<string, string> = {};
  const thisMonth = monthKey(0, zone, options.now);
  let to = input.to ?? '';
  let from = input.from ?? '';
  if (to && !monthStart(to, zone)) {
    errors.to = 'Enter a month as YYYY-MM, such as 2026-03.';
    to = '';
  }
  if (from && !monthStart(from, zone)) {
    errors.from = 'Enter a month as YYYY-MM, such as 2026-01.';
    from = '';
  }
  const toKey = to || thisMonth;
  let fromKey = from || monthKey(-(DEFAULT_MONTHS - 1), zone, monthStart(toKey, zone)!.toJSDate());
  if (monthSpan(fromKey, toKey) === 0) {
    errors.to = 'The last month is before the first; showing twelve months from the first.';
    to = '';
    return finish(fromKey, monthKey(DEFAULT_MONTHS - 1, zone, monthStart(fromKey, zone)!.toJSDate()));
  }
  if (monthSpan(fromKey, toKey) > MAX_REPORT_MONTHS) {
    errors.from = `A report covers at most ${MAX_REPORT_MONTHS} months (ten years); showing the last ${MAX_REPORT_MONTHS} up to ${toKey}.`;
    from = '';
    fromKey = monthKey(-(MAX_REPORT_MONTHS - 1), zone, monthStart(toKey, zone)!.toJSDate());
  }
  return finish(fromKey, toKey);

  function finish(fromMonth: string, toMonth: string): ParsedReportFilters {
    const filters: ReportFilters = { from: fromMonth, to: toMonth, months: monthsBetween(fromMonth, toMonth, zone) };
    const applied: Record<string, string> = {};
    if (from) applied.from = fromMonth;
    if (to) applied.to = toMonth;
    if (options.shops && input.shop) {
      if (/^\d{1,9}$/.test(input.shop)) {
        filters.shopId = Number(input.shop);
        applied.shop = input.shop;
      } else errors.shop = 'Choose a shop from the list.';
    }
    if (input.currency) {
      const code = input.currency.toUpperCase();
      if ((SHOP_CURRENCIES as readonly string[]).includes(code)) {
        filters.currency = code;
        applied.currency = code;
      } else errors.currency = 'Choose a currency from the list.';
    }
    return { filters, errors, values: { from: input.from || fromMonth, to: input.to || toMonth, shop: input.shop ?? '', currency: input.currency ?? '' }, applied };
  }
}

/** A path with the applied filters (empty ones left out). */
export function withFilters(path: string, applied: Record<string, string>): string {
  const qs = new URLSearchParams(applied).toString();
  return qs ? `${path}?${qs}` : path;
}

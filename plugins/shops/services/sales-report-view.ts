import type { ShopsSettings } from '../settings';
import { parseReportFilters, withFilters, type ParsedReportFilters } from '../routes/admin-report-form';
import { salesChart, type SalesChart } from './sales-report-chart';
import { salesReport, type CurrencyReport, type SalesReport } from './sales-report';

export interface ReportPage {
  report: SalesReport;
  /** Per currency, the wide drawing and the compact one for phones. */
  charts: Map<string, { wide: SalesChart; compact: SalesChart }>;
  parsed: ParsedReportFilters;
  csv: string;
  zone: string;
  /** 422 when a filter was refused (the page shows why, and the report for what was understood). */
  status: number;
}

/** The store's zone for months: its setting, or UTC when none was saved. */
export const reportZone = (settings: Pick<ShopsSettings, 'timeZone'>): string => settings.timeZone || 'UTC';

/**
 * What the admin's and the seller's report pages show: the filters read from the query string, the report for
 * them (`shopIds` scopes a seller to their shop whatever the query says), one chart per currency and the CSV link.
 */
export async function reportPage(query: Record<string, unknown>, options: { zone: string; shopIds?: number[]; shopFilter: boolean; csvPath: string }): Promise<ReportPage> {
  const parsed = parseReportFilters(query, options.zone, { shops: options.shopFilter });
  const { filters } = parsed;
  const shopIds = options.shopIds ?? (filters.shopId !== undefined ? [filters.shopId] : undefined);
  const report = await salesReport({ months: filters.months, shopIds, currency: filters.currency });
  const charts = new Map(report.currencies.map((c: CurrencyReport) => [c.currency, { wide: salesChart(c, 'wide'), compact: salesChart(c, 'compact') }]));
  return { report, charts, parsed, csv: withFilters(options.csvPath, parsed.applied), zone: options.zone, status: Object.keys(parsed.errors).length ? 422 : 200 };
}

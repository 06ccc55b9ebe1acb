import { DateTime } from 'luxon';

/** A calendar month in the store's time zone, as the instants it starts and ends at (UTC in the database). */
export interface ReportMonth {
  /** "2026-03". */
  key: string;
  /** "March 2026". */
  label: string;
  /** "Mar 2026". */
  short: string;
  start: Date;
  /** The next month's start: a month is [start, end). */
  end: Date;
}

/** The most months one report covers: ten years. */
export const MAX_REPORT_MONTHS = 120;

/** Whether the runtime knows the zone (an IANA name such as "Europe/Paris"). */
export function isTimeZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/** "2026-03" → its first day in the zone; undefined when it is not a month. */
export function monthStart(key: string, zone: string): DateTime | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  if (!match) return undefined;
  const start = DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: 1 }, { zone });
  return start.isValid && start.year >= 2000 && start.year <= 2999 ? start : undefined;
}

/** The month of now in the zone ("2026-03"), and the key of one `offset` months from it. */
export function monthKey(offset = 0, zone = 'UTC', now = new Date()): string {
  return DateTime.fromJSDate(now, { zone }).startOf('month').plus({ months: offset }).toFormat('yyyy-MM');
}

/**
 * Every month from `from` to `to` (both included), with their boundaries at midnight of the 1st in the zone,
 * so a sale at 23:30 UTC on 31 March is April's in Paris. DST is the zone's business: luxon gives the
 * right instant on either side of a change.
 */
export function monthsBetween(from: string, to: string, zone: string): ReportMonth[] {
  const first = monthStart(from, zone);
  const last = monthStart(to, zone);
  if (!first || !last || last < first) return [];
  const months: ReportMonth[] = [];
  for (let m = first; m <= last && months.length < MAX_REPORT_MONTHS; m = m.plus({ months: 1 })) {
    months.push({ key: m.toFormat('yyyy-MM'), label: m.setLocale('en-GB').toFormat('LLLL yyyy'), short: m.setLocale('en-GB').toFormat('LLL yyyy'), start: m.toJSDate(), end: m.plus({ months: 1 }).toJSDate() });
  }
  return months;
}

/** How many months `from`..`to` spans (both included); 0 when `to` is before `from` or either is not a month. */
export function monthSpan(from: string, to: string): number {
  const a = monthStart(from, 'UTC');
  const b = monthStart(to, 'UTC');
  if (!a || !b || b < a) return 0;
  return (b.year - a.year) * 12 + (b.month - a.month) + 1;
}

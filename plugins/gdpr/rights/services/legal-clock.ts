/** The GDPR's month (Art. 12(3)): the same day of the next month, UTC, or the month's last day when it has none. */
export function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** The answer may be extended by two further months at most (Art. 12(3)). */
export const MAX_EXTENSION_MONTHS = 2;

export type ClockState = 'overdue' | 'nearly_due' | 'on_time' | 'none';

export function clockState(dueAt: Date | null, open: boolean, nearlyDueDays: number, now = new Date()): ClockState {
  if (!open || !dueAt) return 'none';
  if (dueAt.getTime() < now.getTime()) return 'overdue';
  if (dueAt.getTime() - now.getTime() <= nearlyDueDays * 86_400_000) return 'nearly_due';
  return 'on_time';
}

export function isoDay(d: Date | null | undefined): string {
  return d ? d.toISOString().slice(0, 10) : '';
}

export function isoMinute(d: Date | null | undefined): string {
  return d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
}

/** The age rule's settings, from the core settings page. */
export interface AgeRule {
  minimumAge: number;
  adultAge: number;
}

export type AgeBand = 'too_young' | 'guardian' | 'adult';

/** Whole years between a `YYYY-MM-DD` birth date and `today` (UTC); a 29 February birthday counts from 1 March in other years. */
export function ageOn(birthDate: string, today: Date = new Date()): number {
  const [y, m, d] = birthDate.split('-').map(Number);
  let age = today.getUTCFullYear() - y;
  const month = today.getUTCMonth() + 1;
  const day = today.getUTCDate();
  if (month < m || (month === m && day < d)) age--;
  return age;
}

/** Under the minimum age: no account; from it to the age of majority: a parent or guardian holds it; then: normal. */
export function ageBand(age: number, rule: AgeRule): AgeBand {
  if (age < rule.minimumAge) return 'too_young';
  if (age < rule.adultAge) return 'guardian';
  return 'adult';
}

/** A real calendar date in `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

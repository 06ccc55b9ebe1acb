import { z } from 'zod';
import { parseMoney } from '@agora/core';
import { SLUG_PATTERN } from '../services/text';

/** The largest amount a form accepts: one million in major units. */
export const MAX_AMOUNT_MAJOR = 1_000_000;
export const MAX_STOCK = 1_000_000;

/** A string field, trimmed; missing fields (an unchecked box, a field left out) become ''. */
export const text = (max: number, tooLong = `At most ${max} characters`) =>
  z.preprocess((v) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : v), z.string('Enter text').trim().max(max, tooLong));

export const slugField = (max: number) =>
  text(max, `At most ${max} characters`).pipe(
    z.string().toLowerCase().refine((v) => v === '' || SLUG_PATTERN.test(v), 'Use lowercase letters, digits and single hyphens, like "blue-mug"'),
  );

/** "12.50" in the given currency → minor units; blank is refused unless `optional`. */
export function moneyField(currency: string, options: { optional: true; label?: string }): z.ZodType<number | null, unknown>;
export function moneyField(currency: string, options?: { optional?: false; label?: string }): z.ZodType<number, unknown>;
export function moneyField(currency: string, options: { optional?: boolean; label?: string } = {}): z.ZodType<number | null, unknown> {
  const what = options.label ?? 'an amount';
  return text(30).transform((v, ctx) => {
    if (v === '') {
      if (options.optional) return null;
      ctx.addIssue({ code: 'custom', message: `Enter ${what}` });
      return z.NEVER;
    }
    if (v.startsWith('-')) {
      ctx.addIssue({ code: 'custom', message: 'Cannot be negative' });
      return z.NEVER;
    }
    const minor = parseMoney(v, currency);
    if (minor === undefined) {
      ctx.addIssue({ code: 'custom', message: `Enter ${what} like 12.50` });
      return z.NEVER;
    }
    if (minor > parseMoney(String(MAX_AMOUNT_MAJOR), currency)!) {
      ctx.addIssue({ code: 'custom', message: `At most ${MAX_AMOUNT_MAJOR.toLocaleString('en')}` });
      return z.NEVER;
    }
    return minor;
  });
}

/** A whole number between 0 and max; blank is null (the meaning of blank is the caller's: "unlimited", "none"). */
export const wholeNumberOrBlank = (max: number) =>
  text(20).transform((v, ctx) => {
    if (v === '') return null;
    if (!/^\d+$/.test(v)) {
      ctx.addIssue({ code: 'custom', message: v.startsWith('-') ? 'Cannot be negative' : 'Enter a whole number' });
      return z.NEVER;
    }
    const n = Number(v);
    if (n > max) {
      ctx.addIssue({ code: 'custom', message: `At most ${max.toLocaleString('en')}` });
      return z.NEVER;
    }
    return n;
  });

/** An HTML checkbox: present ("on") or absent. */
export const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true || v === '1', z.boolean());

/** One value or many (repeated fields, checkboxes with the same name) → a list of strings. */
export const stringList = z.preprocess((v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()).max(100));

import { z } from 'zod';
import { parseMoney } from '@agora/core';
import { checkbox, stringList, text, wholeNumberOrBlank } from './fields';

export const COUPON_FIELDS = new Set(['code', 'description', 'kind', 'value', 'currency', 'min_subtotal', 'starts_on', 'ends_on', 'usage_limit', 'per_buyer_limit', 'product_ids', 'active']);

const day = (label: string) =>
  text(10).transform((v, ctx) => {
    if (v === '') return null;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== v) {
      ctx.addIssue({ code: 'custom', message: `Enter the ${label} as YYYY-MM-DD` });
      return z.NEVER;
    }
    return date;
  });

/**
 * A coupon as typed in the seller's or admin's form. `value` is a percent (10, 12.5) or an amount (5.00) in
 * `currency`; the start day counts from 00:00 UTC and the end day to its last moment (the coupon stops at
 * 00:00 UTC the day after).
 */
export function couponSchema(defaultCurrency: string) {
  return z
    .object({
      code: text(40).pipe(z.string().min(2, 'Enter a code of at least 2 characters').regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, - and _ only, like SPRING10')).transform((v) => v.toUpperCase()),
      description: text(200),
      kind: z.enum(['percent', 'fixed'], { message: 'Choose percent or fixed amount' }),
      value: text(20),
      currency: text(3).transform((v) => (v ? v.toUpperCase() : defaultCurrency)).pipe(z.string().regex(/^[A-Z]{3}$/, 'Enter a currency code like EUR')),
      min_subtotal: text(20),
      starts_on: day('start day'),
      ends_on: day('end day'),
      usage_limit: wholeNumberOrBlank(1_000_000),
      per_buyer_limit: wholeNumberOrBlank(1_000),
      product_ids: stringList,
      active: checkbox,
    })
    .transform((f, ctx) => {
      let value = 0;
      if (f.kind === 'percent') {
        const pct = /^\d{1,3}(\.\d{1,2})?$/.test(f.value) ? Number(f.value) : NaN;
        if (!(pct > 0 && pct <= 100)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'Enter a percent between 0.01 and 100, like 10 or 12.5' });
        else value = Math.round(pct * 100);
      } else {
        const minor = f.value.startsWith('-') ? undefined : parseMoney(f.value, f.currency);
        if (!minor || minor <= 0) ctx.addIssue({ code: 'custom', path: ['value'], message: 'Enter an amount like 5.00' });
        else value = minor;
      }
      const min = f.min_subtotal === '' ? 0 : f.min_subtotal.startsWith('-') ? undefined : parseMoney(f.min_subtotal, f.currency);
      if (min === undefined) ctx.addIssue({ code: 'custom', path: ['min_subtotal'], message: 'Enter an amount like 50.00, or leave it empty' });
      if (f.starts_on && f.ends_on && f.ends_on < f.starts_on) ctx.addIssue({ code: 'custom', path: ['ends_on'], message: 'The end day is before the start day' });
      if (f.usage_limit === 0) ctx.addIssue({ code: 'custom', path: ['usage_limit'], message: 'At least 1, or empty for no limit' });
      if (f.per_buyer_limit === 0) ctx.addIssue({ code: 'custom', path: ['per_buyer_limit'], message: 'At least 1, or empty for no limit' });
      const ids = f.product_ids.map(Number);
      if (ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) ctx.addIssue({ code: 'custom', path: ['product_ids'], message: 'Choose products from the list' });
      return {
        code: f.code,
        description: f.description,
        kind: f.kind,
        value,
        currency: f.kind === 'fixed' ? f.currency : null,
        min_subtotal: min ?? 0,
        starts_at: f.starts_on,
        ends_at: f.ends_on ? new Date(f.ends_on.getTime() + 24 * 3600_000) : null,
        usage_limit: f.usage_limit,
        per_buyer_limit: f.per_buyer_limit,
        product_ids: [...new Set(ids)],
        active: f.active,
      };
    });
}

export type CouponInput = z.output<ReturnType<typeof couponSchema>>;

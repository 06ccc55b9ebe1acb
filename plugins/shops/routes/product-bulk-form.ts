import { z } from 'zod';
import { parseForm, type Parsed } from '@agora/core';
import { MAX_STOCK, moneyField, text, wholeNumberOrBlank } from '../forms/fields';

/** The most products one bulk edit may change: the list's largest page. */
export const MAX_BULK_PRODUCTS = 100;

export const PRICE_OPS = ['set', 'increase_percent', 'decrease_percent', 'increase_amount', 'decrease_amount'] as const;
export const COMPARE_OPS = ['from_price', 'clear'] as const;
export const STOCK_OPS = ['set', 'add', 'remove', 'unlimited'] as const;
export type PriceOp = (typeof PRICE_OPS)[number];
export type CompareOp = (typeof COMPARE_OPS)[number];
export type StockOp = (typeof STOCK_OPS)[number];

/** What a bulk edit asks for; every part optional, at least one given. Percentages in hundredths of a percent. */
export interface BulkEditInput {
  ids: number[];
  requestKey: string;
  price?: { op: PriceOp; amount: number };
  compare?: CompareOp;
  stock?: { op: StockOp; amount: number };
  status?: 'draft' | 'published';
}

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.preprocess((v) => (v === undefined || v === null || v === '' ? undefined : v), z.enum(values, message).optional());

/** "12.5" → 1250 hundredths of a percent; refused beyond two decimals, at 0, or above `max` percent. */
const percent = (max: number) =>
  text(12).transform((v, ctx) => {
    const m = /^(\d{1,4})(?:[.,](\d{1,2}))?$/.exec(v.replace(/%$/, '').trim());
    if (!m) {
      ctx.addIssue({ code: 'custom', message: v.startsWith('-') ? 'Choose “decrease” instead of a negative percentage' : 'Enter a percentage like 10 or 12.5' });
      return z.NEVER;
    }
    const hundredths = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
    if (hundredths === 0 || hundredths > max * 100) {
      ctx.addIssue({ code: 'custom', message: `Enter a percentage above 0 and at most ${max}` });
      return z.NEVER;
    }
    return hundredths;
  });

function schema(currency: string) {
  return z
    .object({
      ids: z
        .preprocess((v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().regex(/^\d{1,12}$/, 'This form was changed: reload the page')))
        .pipe(z.array(z.string()).min(1, 'Select at least one product').max(MAX_BULK_PRODUCTS, `Select at most ${MAX_BULK_PRODUCTS} products at once`))
        .transform((ids) => [...new Set(ids.map(Number))]),
      request_key: z.string('This form has expired: reload the page').regex(/^[a-f0-9]{32}$/, 'This form has expired: reload the page'),
      price_op: optionalEnum(PRICE_OPS, 'Choose how to change the price'),
      price_value: text(30),
      compare_op: optionalEnum(COMPARE_OPS, 'Choose what to do with the compare-at price'),
      stock_op: optionalEnum(STOCK_OPS, 'Choose how to change the stock'),
      stock_value: text(20),
      status: optionalEnum(['draft', 'published'] as const, 'Choose draft or published'),
    })
    .transform((form, ctx): BulkEditInput => {
      const input: BulkEditInput = { ids: form.ids, requestKey: form.request_key };
      if (form.price_op) {
        const field =
          form.price_op === 'increase_percent' ? percent(1000) : form.price_op === 'decrease_percent' ? percent(99) : form.price_op === 'set' ? moneyField(currency, { label: 'a price' }) : moneyField(currency, { label: 'an amount' });
        const value = field.safeParse(form.price_value);
        if (!value.success) ctx.addIssue({ code: 'custom', path: ['price_value'], message: value.error.issues[0]?.message ?? 'Enter a value' });
        else if (value.data === 0 || value.data === null) ctx.addIssue({ code: 'custom', path: ['price_value'], message: 'Enter an amount above zero' });
        else input.price = { op: form.price_op, amount: value.data };
      } else if (form.price_value) {
        ctx.addIssue({ code: 'custom', path: ['price_op'], message: 'Choose how to change the price' });
      }
      if (form.compare_op) input.compare = form.compare_op;
      if (form.stock_op) {
        if (form.stock_op === 'unlimited') input.stock = { op: 'unlimited', amount: 0 };
        else {
          const value = wholeNumberOrBlank(MAX_STOCK).safeParse(form.stock_value);
          if (!value.success) ctx.addIssue({ code: 'custom', path: ['stock_value'], message: value.error.issues[0]?.message ?? 'Enter a number' });
          else if (value.data === null) ctx.addIssue({ code: 'custom', path: ['stock_value'], message: 'Enter a number of units' });
          else if (value.data === 0 && form.stock_op !== 'set') ctx.addIssue({ code: 'custom', path: ['stock_value'], message: 'Enter a number of units above zero' });
          else input.stock = { op: form.stock_op, amount: value.data };
        }
      } else if (form.stock_value) {
        ctx.addIssue({ code: 'custom', path: ['stock_op'], message: 'Choose how to change the stock' });
      }
      if (form.status) input.status = form.status;
      if (!form.price_op && !form.compare_op && !form.stock_op && !form.status && !form.price_value && !form.stock_value) {
        ctx.addIssue({ code: 'custom', path: ['form'], message: 'Choose a change to make: price, compare-at price, stock or status' });
      }
      return input;
    });
}

export function parseBulkEditForm(body: unknown, currency: string): Parsed<BulkEditInput> {
  return parseForm(schema(currency), body);
}

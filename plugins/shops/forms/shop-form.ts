import { z } from 'zod';
import { parseForm, type FieldErrors, type Parsed, minorPerMajor } from '@agora/core';
import { checkbox, moneyField, slugField, text } from './fields';
import type { Shop } from '../models/shop';
import type { ShippingMethod } from '../models/shipping-method';

/** Currencies a shop may sell in: all with two decimals, so price filters compare like with like. */
export const SHOP_CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'DKK', 'NOK', 'PLN', 'CZK', 'CAD', 'AUD'] as const;
export const MAX_SHIPPING_METHODS = 10;
/** Blank rows the forms offer for new shipping methods. */
export const NEW_SHIPPING_ROWS = 2;

const shopFields = {
  name: text(100, 'At most 100 characters').pipe(z.string().min(2, 'Enter the shop name (at least 2 characters)')),
  description: text(5000, 'At most 5,000 characters'),
  location: text(120, 'At most 120 characters'),
  currency: z.enum(SHOP_CURRENCIES, 'Choose a currency from the list'),
  policy_terms: text(10_000, 'At most 10,000 characters'),
  policy_returns: text(10_000, 'At most 10,000 characters'),
  policy_shipping: text(10_000, 'At most 10,000 characters'),
  // Printed on invoices (docs/shops-invoices.md); a change applies to the next invoice, never to one issued.
  legal_name: text(200, 'At most 200 characters'),
  legal_address: text(500, 'At most 500 characters'),
  vat_number: text(40, 'At most 40 characters').pipe(z.string().regex(/^[A-Za-z0-9 .-]*$/, 'Letters, digits, spaces, dots and hyphens only, like FR 12 345678901')),
};

const openSchema = z.object({
  ...shopFields,
  slug: slugField(100).pipe(z.string().min(2, 'Choose the address of your shop (at least 2 characters)')),
});

/** The currency is fixed once the shop is open: its products and orders are priced in it. */
const { currency: _currency, ...settingsFields } = shopFields;
const settingsSchema = z
  .object({
    ...settingsFields,
    vacation_mode: checkbox,
    vacation_message: text(500, 'At most 500 characters'),
  })
  .refine((s) => !s.vacation_mode || s.vacation_message !== '', { message: 'Tell buyers when you will be back', path: ['vacation_message'] });

export interface ShippingInput {
  id: number | null;
  name: string;
  price: number;
  free_over: number | null;
  countries: string;
}

export type OpenShopInput = z.infer<typeof openSchema> & { shipping: ShippingInput[] };
export type ShopSettingsInput = z.infer<typeof settingsSchema> & { shipping: ShippingInput[] };

interface RawShippingRow {
  id?: unknown;
  name?: unknown;
  price?: unknown;
  free_over?: unknown;
  countries?: unknown;
  remove?: unknown;
}

function shippingRowSchema(currency: string) {
  return z.object({
    id: text(12).transform((v) => (/^\d+$/.test(v) ? Number(v) : null)),
    name: text(100, 'At most 100 characters').pipe(z.string().min(1, 'Name the shipping method')),
    price: moneyField(currency, { label: 'a shipping price' }),
    free_over: moneyField(currency, { optional: true, label: 'an amount' }),
    countries: text(1000, 'At most 1,000 characters').transform((v, ctx) => {
      const codes = [...new Set(v.toUpperCase().split(/[\s,;]+/).filter(Boolean))];
      const bad = codes.find((c) => !/^[A-Z]{2}$/.test(c));
      if (bad) {
        ctx.addIssue({ code: 'custom', message: `"${bad}" is not a two-letter country code (like PT, DE, US)` });
        return z.NEVER;
      }
      return codes.join(',');
    }),
  });
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * The shipping rows of a form, by their index in the form so errors land beside the right row
 * (`shipping.<i>.<field>`). Entirely blank new rows and rows ticked "remove" are skipped.
 */
function parseShipping(raw: unknown, currency: string, errors: FieldErrors): ShippingInput[] {
  const rows: RawShippingRow[] = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw as Record<string, RawShippingRow>) : [];
  const out: ShippingInput[] = [];
  const schema = shippingRowSchema(currency);
  rows.slice(0, MAX_SHIPPING_METHODS + NEW_SHIPPING_ROWS).forEach((row, i) => {
    if (!row || typeof row !== 'object') return;
    if (row.remove === 'on') return;
    if (blank(row.id) && blank(row.name) && blank(row.price) && blank(row.free_over) && blank(row.countries)) return;
    const parsed = parseForm(schema, row);
    if (!parsed.ok) {
      for (const [field, message] of Object.entries(parsed.errors)) errors[`shipping.${i}.${field}`] ??= message;
      return;
    }
    out.push(parsed.data);
  });
  if (out.length > MAX_SHIPPING_METHODS) errors.shipping ??= `At most ${MAX_SHIPPING_METHODS} shipping methods`;
  if (out.length === 0 && !Object.keys(errors).some((k) => k.startsWith('shipping.'))) errors.shipping = 'Add at least one shipping method';
  return out;
}

function currencyOf(body: Record<string, unknown>, fallback: string): string {
  return (SHOP_CURRENCIES as readonly string[]).includes(String(body.currency)) ? String(body.currency) : fallback;
}

function combine<T extends object>(main: Parsed<T>, shipping: ShippingInput[], shippingErrors: FieldErrors): Parsed<T & { shipping: ShippingInput[] }> {
  const errors = { ...(main.ok ? {} : main.errors), ...shippingErrors };
  if (!main.ok || Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, data: { ...main.data, shipping } };
}

export function parseOpenShopForm(body: Record<string, unknown>): Parsed<OpenShopInput> {
  const main = parseForm(openSchema, body);
  const shippingErrors: FieldErrors = {};
  const shipping = parseShipping(body.shipping, currencyOf(body, 'EUR'), shippingErrors);
  return combine(main, shipping, shippingErrors);
}

export function parseShopSettingsForm(body: Record<string, unknown>, currency: string): Parsed<ShopSettingsInput> {
  const main = parseForm(settingsSchema, body);
  const shippingErrors: FieldErrors = {};
  const shipping = parseShipping(body.shipping, currency, shippingErrors);
  return combine(main, shipping, shippingErrors);
}

const major = (minor: number | null, currency: string) => (minor === null ? '' : (minor / minorPerMajor(currency)).toFixed(2));

/** The shipping rows a form shows: the given ones, then blank rows for new methods. */
export function shippingRows(rows: Array<Record<string, string>>): Array<Record<string, string>> {
  return [...rows, ...Array.from({ length: NEW_SHIPPING_ROWS }, () => ({ id: '', name: '', price: '', free_over: '', countries: '' }))];
}

/** A shop and its shipping methods as the strings the settings form shows. */
export function shopFormValues(shop: Shop, methods: ShippingMethod[]): Record<string, unknown> {
  return {
    name: shop.name,
    slug: shop.slug,
    description: shop.description,
    location: shop.location,
    currency: shop.currency,
    policy_terms: shop.policy_terms,
    policy_returns: shop.policy_returns,
    policy_shipping: shop.policy_shipping,
    legal_name: shop.legal_name,
    legal_address: shop.legal_address,
    vat_number: shop.vat_number,
    vacation_mode: shop.vacation_mode,
    vacation_message: shop.vacation_message,
    shipping: shippingRows(
      methods.map((m) => ({ id: String(m.id), name: m.name, price: major(m.price, shop.currency), free_over: major(m.free_over, shop.currency), countries: m.countryList().join(', ') })),
    ),
  };
}

/** Submitted values to show again on a 422, with the shipping rows padded to what the form expects. */
export function resubmittedValues(body: Record<string, unknown>): Record<string, unknown> {
  const raw = body.shipping;
  const rows = (Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw) : []) as Array<Record<string, unknown>>;
  const asStrings = rows.slice(0, MAX_SHIPPING_METHODS + NEW_SHIPPING_ROWS).map((r) => ({
    id: String(r?.id ?? ''),
    name: String(r?.name ?? ''),
    price: String(r?.price ?? ''),
    free_over: String(r?.free_over ?? ''),
    countries: String(r?.countries ?? ''),
    remove: r?.remove === 'on' ? 'on' : '',
  }));
  // The order is kept: errors are keyed by the row's index in the form.
  const wanted = asStrings.filter((r) => r.id !== '').length + NEW_SHIPPING_ROWS;
  while (asStrings.length < wanted) asStrings.push({ id: '', name: '', price: '', free_over: '', countries: '', remove: '' });
  return { ...body, shipping: asStrings };
}

import { z } from 'zod';
import type { FieldErrors } from '@agora/core';
import { COUNTRY_CODES } from '../services/countries';
import { idField, quantityField } from './cart-form';

const text = (max: number, required?: string) => {
  const base = z.preprocess((v) => (v === undefined || v === null ? '' : v), z.string('Enter text').trim().max(max, `At most ${max} characters`));
  return required ? base.pipe(z.string().min(1, required)) : base;
};

declare module '@agora/core' {
  interface FormSectionMap {
    /**
     * The checkout form (`/checkout`); extensions render right before "Place order" and commit inside the
     * order's transaction, after the group and its orders are written (no stock is taken if one refuses).
     */
    'shops.checkout': {
      render: { viewer: Express.User | null };
      commit: { groupId: number; orders: ReadonlyArray<{ id: number; number: string; shop_id: number; total: number; currency: string }>; email: string; userId: number | null };
    };
  }
}

export const ITEM_FIELD = /^item_(\d{1,10})$/;
/** A line of one variant: `item_v<variantId>`. */
export const VARIANT_ITEM_FIELD = /^item_v(\d{1,10})$/;
export const SHIPPING_FIELD = /^shipping_(\d{1,10})$/;

const FIELDS = new Set(['email', 'name', 'line1', 'line2', 'city', 'postcode', 'country', 'phone', 'gateway', 'address_id', 'save_address', 'currency', 'cart_token']);

/**
 * Money is never read from the browser. A form that sends prices or totals anyway (an old page, a
 * browser extension, someone curious) is not refused for it: these fields are dropped unread.
 */
export const IGNORED_FIELDS = new Set(['price', 'prices', 'unit_price', 'line_total', 'subtotal', 'shipping_total', 'total', 'grand_total', 'fee', 'platform_fee', 'amount', 'discount']);

export function isCheckoutField(key: string): boolean {
  return FIELDS.has(key) || IGNORED_FIELDS.has(key) || ITEM_FIELD.test(key) || VARIANT_ITEM_FIELD.test(key) || SHIPPING_FIELD.test(key);
}

const addressFields = {
  name: text(200),
  line1: text(200),
  line2: text(200),
  city: text(100),
  postcode: text(20),
  country: text(2).transform((v) => v.toUpperCase()),
};

const checkoutFields = z.object({
  email: text(320, 'Enter your email address').pipe(z.email('Enter an email address like name@example.com')),
  ...addressFields,
  phone: text(40).refine((v) => v === '' || /^[+()\d][\d\s().\-/]{3,38}$/.test(v), 'Enter a phone number, or leave it empty'),
  gateway: text(40, 'Choose how to pay'),
  address_id: z.preprocess((v) => (v === undefined || v === '' || v === 'new' ? undefined : v), idField('a saved address').optional()),
  save_address: z.preprocess((v) => v === 'on' || v === '1' || v === 'true', z.boolean()),
  currency: z.preprocess((v) => (v === undefined || v === '' ? undefined : v), z.string().regex(/^[A-Z]{3}$/, 'Unknown currency').optional()),
});

export const checkoutSchema = checkoutFields.superRefine((v, ctx) => {
  if (v.address_id !== undefined) return;
  const need: Array<[keyof typeof addressFields, string]> = [
    ['name', 'Enter the name to deliver to'],
    ['line1', 'Enter the street address'],
    ['city', 'Enter the town or city'],
    ['postcode', 'Enter the postcode'],
  ];
  for (const [key, message] of need) if (!v[key]) ctx.addIssue({ code: 'custom', path: [key], message });
  if (!COUNTRY_CODES.has(v.country)) ctx.addIssue({ code: 'custom', path: ['country'], message: 'Choose a country' });
});

/**
 * The checkout of a cart that holds only downloads (docs/shops-digital.md): nothing is delivered, so no street
 * address and no saved one, only the buyer's name and country, whose rate the VAT of digital goods is charged at.
 */
export const downloadCheckoutSchema = checkoutFields
  .superRefine((v, ctx) => {
    if (!v.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'Enter your name (it goes on the invoice)' });
    if (!COUNTRY_CODES.has(v.country)) ctx.addIssue({ code: 'custom', path: ['country'], message: 'Choose the country you live in' });
  })
  .transform((v) => ({ ...v, line1: '', line2: '', city: '', postcode: '', address_id: undefined, save_address: false }));

export type CheckoutForm = z.infer<typeof checkoutSchema>;

/** The items and shipping choices the checkout page listed, read from `item_<productId>` / `shipping_<shopId>`. */
export function readCartFields(body: Record<string, unknown>): { items: Map<number, number>; shipping: Map<number, number>; variants: Map<number, number>; errors?: FieldErrors } {
  const items = new Map<number, number>();
  const shipping = new Map<number, number>();
  const variants = new Map<number, number>();
  for (const [key, value] of Object.entries(body)) {
    const variantItem = VARIANT_ITEM_FIELD.exec(key);
    if (variantItem) {
      const q = quantityField.safeParse(value);
      if (!q.success) return { items, shipping, variants, errors: { form: 'This form was changed: a quantity is not a whole number between 1 and the most you may order. Reload the page and try again.' } };
      variants.set(Number(variantItem[1]), q.data);
      continue;
    }
    const item = ITEM_FIELD.exec(key);
    if (item) {
      const q = quantityField.safeParse(value);
      if (!q.success) return { items, shipping, variants, errors: { form: 'This form was changed: a quantity is not a whole number between 1 and the most you may order. Reload the page and try again.' } };
      items.set(Number(item[1]), q.data);
      continue;
    }
    const ship = SHIPPING_FIELD.exec(key);
    if (ship) {
      if (value === '' || value === undefined) continue;
      const id = idField('a delivery method').safeParse(value);
      if (!id.success) return { items, shipping, variants, errors: { form: 'This form was changed: a delivery choice is not one the page offered. Reload the page and try again.' } };
      shipping.set(Number(ship[1]), id.data);
    }
  }
  return { items, shipping, variants };
}

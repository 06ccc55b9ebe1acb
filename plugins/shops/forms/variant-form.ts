import { z } from 'zod';
import { minorPerMajor, parseForm, type FieldErrors, type Parsed } from '@agora/core';
import { checkbox, MAX_STOCK, moneyField, stringList, text, wholeNumberOrBlank } from './fields';

export const MAX_ATTRIBUTE_VALUES = 50;

/** "S, M, L" or one per line → ['S', 'M', 'L'] in the order typed, the same value (any case) once. */
export function splitValues(input: string): string[] {
  const seen = new Map<string, string>();
  for (const raw of input.split(/[,\n]/)) {
    const value = raw.trim().replace(/\s+/g, ' ');
    if (value && !seen.has(value.toLowerCase())) seen.set(value.toLowerCase(), value);
  }
  return [...seen.values()];
}

export const attributeSchema = z.object({
  name: text(60, 'At most 60 characters').pipe(z.string().min(1, 'Name the attribute, such as Size or Colour')),
  values: text(4000, 'Too many values')
    .transform(splitValues)
    .pipe(
      z
        .array(z.string().max(60, 'Each value at most 60 characters'))
        .min(1, 'List its values, separated by commas: S, M, L')
        .max(MAX_ATTRIBUTE_VALUES, `At most ${MAX_ATTRIBUTE_VALUES} values`),
    ),
});
export type AttributeInput = z.infer<typeof attributeSchema>;
export const ATTRIBUTE_FIELDS = new Set(['name', 'values']);

export function parseAttributeForm(body: unknown): Parsed<AttributeInput> {
  return parseForm(attributeSchema, body);
}

export const generateSchema = z.object({
  value_ids: stringList.transform((ids) => ids.filter((id) => /^\d{1,10}$/.test(id)).map(Number)),
});

/** One row of the variants table, as its fields `<name>_<variantId>` say. */
export function variantRowSchema(currency: string) {
  return z.object({
    enabled: checkbox,
    sku: text(64, 'At most 64 characters')
      .refine((v) => v === '' || /^[\w.\-/]+$/.test(v), 'Letters, digits and - _ . / only')
      .transform((v) => (v === '' ? null : v)),
    price: moneyField(currency, { optional: true, label: 'a price' }).refine((v) => v === null || v > 0, 'The price must be more than zero'),
    compare_at_price: moneyField(currency, { optional: true, label: 'a price' }),
    stock: wholeNumberOrBlank(MAX_STOCK),
    image_id: text(12).transform((v, ctx) => {
      if (v === '') return null;
      if (!/^\d+$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: 'Choose one of the pictures' });
        return z.NEVER;
      }
      return Number(v);
    }),
  });
}
export type VariantRowInput = z.infer<ReturnType<typeof variantRowSchema>>;

const ROW_FIELD = /^(enabled|sku|price|compare_at_price|stock|image_id)_(\d{1,10})$/;
export const VARIANT_ROW_FIELD = /^variant_(\d{1,10})$/;

/**
 * The variants table: every listed variant (`variant_<id>` hidden fields) with its fields; the messages are
 * keyed `<field>_<id>` so each shows beside its cell. A field of a variant not listed is a changed form.
 */
export function parseVariantRows(body: Record<string, unknown>, currency: string): { ok: true; rows: Map<number, VariantRowInput> } | { ok: false; errors: FieldErrors } {
  const ids = new Set<number>();
  const fields = new Map<number, Record<string, unknown>>();
  for (const [k, v] of Object.entries(body)) {
    const listed = VARIANT_ROW_FIELD.exec(k);
    if (listed) {
      ids.add(Number(listed[1]));
      continue;
    }
    const m = ROW_FIELD.exec(k);
    if (!m) continue;
    const id = Number(m[2]);
    const row = fields.get(id) ?? {};
    row[m[1]] = v;
    fields.set(id, row);
  }
  if ([...fields.keys()].some((id) => !ids.has(id))) return { ok: false, errors: { form: 'This form was changed: it has a variant the page did not list. Reload the page and try again.' } };
  const schema = variantRowSchema(currency);
  const rows = new Map<number, VariantRowInput>();
  const errors: FieldErrors = {};
  for (const id of ids) {
    const parsed = parseForm(schema, fields.get(id) ?? {});
    if (parsed.ok) rows.set(id, parsed.data);
    else for (const [field, message] of Object.entries(parsed.errors)) errors[`${field}_${id}`] = message;
  }
  if (Object.keys(errors).length) return { ok: false, errors: { form: 'Some variants need a correction; see the marked cells.', ...errors } };
  return { ok: true, rows };
}

export function isVariantsField(key: string): boolean {
  return VARIANT_ROW_FIELD.test(key) || ROW_FIELD.test(key);
}

/** Minor units as the seller types them: 1250 EUR → "12.50". */
export function majorUnits(minor: number, currency: string): string {
  const scale = minorPerMajor(currency);
  return scale === 1 ? String(minor) : (minor / scale).toFixed(Math.log10(scale));
}

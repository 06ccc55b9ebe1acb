import { z } from 'zod';
import { parseForm, type Parsed, minorPerMajor } from '@agora/core';
import type { Product } from '../models/product';
import { TAX_CLASSES } from '../models/tax-rate';
import { MAX_STOCK, moneyField, slugField, stringList, text, wholeNumberOrBlank } from './fields';

export const MAX_TAGS = 20;
export const MAX_PRODUCT_IMAGES = 8;

/** "Gift, blue  mug,gift" → ['gift', 'blue mug']: lowercase, deduplicated, in the order typed. */
export function splitTags(input: string): string[] {
  const seen = new Set<string>();
  for (const raw of input.split(',')) {
    const tag = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    if (tag) seen.add(tag);
  }
  return [...seen];
}

/** A SKU: letters, digits and . _ / # -, starting with a letter or digit, at most 64 (the variants' rule too). */
export const SKU_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._/#-]{0,63}$/u;
export const SKU_MESSAGE = 'Use at most 64 letters, digits and . _ / # -, starting with a letter or digit';

export function productSchema(currency: string) {
  return z
    .object({
      title: text(200, 'At most 200 characters').pipe(z.string().min(1, 'Enter a title')),
      slug: slugField(200),
      // Optional, unique within the shop; what a CSV import matches rows by. Blank: none.
      sku: text(64, 'At most 64 characters')
        .refine((v) => v === '' || SKU_PATTERN.test(v), SKU_MESSAGE)
        .transform((v) => v || null),
      description: text(20_000, 'At most 20,000 characters'),
      price: moneyField(currency, { label: 'a price' }).pipe(z.number().min(1, 'The price must be more than zero')),
      compare_at_price: moneyField(currency, { optional: true, label: 'a price' }),
      stock: wholeNumberOrBlank(MAX_STOCK),
      category_id: text(12).transform((v, ctx) => {
        if (v === '') return null;
        if (!/^\d+$/.test(v)) {
          ctx.addIssue({ code: 'custom', message: 'Choose a category from the list' });
          return z.NEVER;
        }
        return Number(v);
      }),
      tags: text(1000, 'At most 1,000 characters')
        .transform(splitTags)
        .pipe(
          z
            .array(z.string().max(50, 'Each tag at most 50 characters').regex(/^[\p{L}\p{N} '&-]+$/u, 'Tags may hold letters, digits, spaces and hyphens'))
            .max(MAX_TAGS, `At most ${MAX_TAGS} tags`),
        ),
      status: z.enum(['draft', 'published'], 'Choose draft or published'),
      // Forms and imports made before tax classes existed send none: the standard rate.
      tax_class: z.preprocess((v) => (v === undefined || v === '' ? 'standard' : v), z.enum(TAX_CLASSES, 'Choose a tax class')),
      remove_images: stringList.transform((ids) => ids.filter((id) => /^\d+$/.test(id)).map(Number)),
    })
    .refine((p) => p.compare_at_price === null || p.compare_at_price > p.price, {
      message: 'The compare-at price must be higher than the price (leave it blank for no discount)',
      path: ['compare_at_price'],
    });
}

type ParsedProduct = z.infer<ReturnType<typeof productSchema>>;
/** Callers that build a product without the form (the demo, an import) may leave the tax class out: standard. */
export type ProductInput = Omit<ParsedProduct, 'tax_class' | 'sku'> & { tax_class?: ParsedProduct['tax_class']; sku?: string | null };

export function parseProductForm(body: unknown, currency: string): Parsed<ProductInput> {
  return parseForm(productSchema(currency), body);
}

function major(minor: number | null, currency: string): string {
  if (minor === null) return '';
  const scale = minorPerMajor(currency);
  return scale === 1 ? String(minor) : (minor / scale).toFixed(Math.log10(scale));
}

/** A product as the strings its edit form shows. */
export function productFormValues(product: Product, tags: string[]): Record<string, string> {
  return {
    title: product.title,
    slug: product.slug,
    sku: product.sku ?? '',
    description: product.description,
    price: major(product.price, product.currency),
    compare_at_price: major(product.compare_at_price, product.currency),
    stock: product.stock === null ? '' : String(product.stock),
    category_id: product.category_id === null ? '' : String(product.category_id),
    tags: tags.join(', '),
    status: product.status,
    tax_class: product.tax_class,
  };
}

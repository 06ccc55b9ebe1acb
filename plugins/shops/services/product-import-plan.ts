import { Op, type Transaction } from 'sequelize';
import { Category } from '../models/category';
import { Product } from '../models/product';
import { ProductVariant } from '../models/product-variant';
import type { Shop } from '../models/shop';
import type { ImportPlan } from '../models/product-import';
import { parseForm, type Parsed } from '@agora/core';
import { productFormValues, productSchema, SKU_MESSAGE, SKU_PATTERN, type ProductInput } from '../forms/product-form';
import { IMPORTED_COLUMNS, csvAmount, tagsOf, type CsvRow } from './product-import-csv';

/** What one row will do (or why it cannot), and with what. */
export interface RowPlan {
  line: number;
  plan: ImportPlan;
  productId: number | null;
  sku: string | null;
  title: string;
  /** An error's reason, or an update's changes ("price 10.00 → 12.00"). */
  message: string | null;
  /** For create and update: the product's values after the row. */
  input?: ProductInput & { sku: string | null };
  /** For update and unchanged: the product as it is. */
  product?: Product;
  /** For update: whether its tags change (else their rows are left alone). */
  tagsChanged?: boolean;
}

/** The product form's schema, built once per currency: an import parses thousands of rows with it. */
const schemas = new Map<string, ReturnType<typeof productSchema>>();
function parseProductRow(body: Record<string, unknown>, currency: string): Parsed<ProductInput> {
  let schema = schemas.get(currency);
  if (!schema) schemas.set(currency, (schema = productSchema(currency)));
  return parseForm(schema, body);
}

const FIELD_LABELS: Record<string, string> = { compare_at_price: 'compare-at price', category_id: 'category', tax_class: 'tax class' };
const label = (field: string) => FIELD_LABELS[field] ?? field;

/** The values a product has, in the shape of the product form's result, to compare a row's against. */
function currentInput(p: Product, tags: string[]) {
  return { sku: p.sku ?? null, title: p.title, slug: p.slug, description: p.description, price: p.price, compare_at_price: p.compare_at_price, stock: p.stock, category_id: p.category_id, tags, status: p.status, tax_class: p.tax_class };
}

type Comparable = ReturnType<typeof currentInput>;
const COMPARED: Array<keyof Comparable> = ['sku', 'title', 'slug', 'price', 'compare_at_price', 'stock', 'category_id', 'tags', 'status', 'tax_class', 'description'];

function describeChanges(before: Comparable, after: Comparable, currency: string): string[] {
  const shown = (field: keyof Comparable, v: unknown): string => {
    if (v === null || v === '') return field === 'stock' ? 'unlimited' : 'none';
    if (field === 'price' || field === 'compare_at_price') return csvAmount(v as number, currency);
    if (Array.isArray(v)) return v.join(', ') || 'none';
    if (field === 'description') return `${String(v).length} characters`;
    return String(v);
  };
  const changes: string[] = [];
  for (const field of COMPARED) {
    const a = before[field];
    const b = after[field];
    // Tags are a set: the same tags in another order are no change.
    const same = Array.isArray(a) && Array.isArray(b) ? a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]) : a === b;
    if (!same) changes.push(field === 'description' ? 'description' : `${label(field)} ${shown(field, a)} → ${shown(field, b)}`);
  }
  return changes;
}

function problemsOf(errors: Record<string, string>): string {
  return Object.entries(errors)
    .map(([field, message]) => (field === 'form' ? message : `${label(field)}: ${message}`))
    .join('; ');
}

/**
 * Plans an import's rows against the shop as it is: which product each row is (by SKU, else by id, only
 * among this shop's), whether it creates, updates, changes nothing, or cannot be applied and why. Checks
 * spanning the whole file (a SKU, an id or an address on two rows) are made once with `fileProblems`; the
 * rest per batch of rows, with a few queries per batch. The preview plans every row; the job plans each
 * batch again inside its transaction (products locked), so it applies what is true when it runs.
 */
export class ImportPlanner {
  private categories?: Set<number>;

  constructor(private readonly shop: Shop) {}

  /** Rows that repeat a SKU, an id or a new address of an earlier row: an error each, by row number. */
  static fileProblems(rows: CsvRow[]): Map<number, string> {
    const problems = new Map<number, string>();
    const seen = { sku: new Map<string, number>(), id: new Map<string, number>(), slug: new Map<string, number>() };
    for (const row of rows) {
      for (const key of ['sku', 'id', 'slug'] as const) {
        const value = (row.cells[key] ?? '').trim();
        if (!value) continue;
        const normal = key === 'slug' ? value.toLowerCase() : value;
        const first = seen[key].get(normal);
        if (first !== undefined && !problems.has(row.line)) problems.set(row.line, `${key === 'id' ? 'The id' : key === 'sku' ? 'The SKU' : 'The address (slug)'} “${value}” is also on row ${first}`);
        else if (first === undefined) seen[key].set(normal, row.line);
      }
    }
    return problems;
  }

  async plan(rows: CsvRow[], fileProblems: Map<number, string>, options: { transaction?: Transaction; lock?: boolean } = {}): Promise<RowPlan[]> {
    const { transaction } = options;
    const skus = [...new Set(rows.map((r) => (r.cells.sku ?? '').trim()).filter(Boolean))];
    const ids = [...new Set(rows.map((r) => (r.cells.id ?? '').trim()).filter((v) => /^\d{1,12}$/.test(v)).map(Number))];
    const or = [...(skus.length ? [{ sku: { [Op.in]: skus } }] : []), ...(ids.length ? [{ id: { [Op.in]: ids } }] : [])];
    const products = or.length
      ? await Product.findAll({ where: { shop_id: this.shop.id, [Op.or]: or }, order: [['id', 'ASC']], transaction, ...(options.lock && transaction ? { lock: transaction.LOCK.UPDATE } : {}) })
      : [];
    const bySku = new Map(products.filter((p) => p.sku).map((p) => [p.sku!, p]));
    const byId = new Map(products.map((p) => [p.id, p]));
    const variantSkus = new Set(
      skus.length ? (await ProductVariant.findAll({ where: { shop_id: this.shop.id, sku: { [Op.in]: skus } }, attributes: ['sku'], transaction })).map((v) => v.sku!) : [],
    );
    const tags = await tagsOf(products.map((p) => p.id));
    const slugs = [...new Set(rows.map((r) => (r.cells.slug ?? '').trim().toLowerCase()).filter(Boolean))];
    const slugOwners = new Map(
      slugs.length ? (await Product.findAll({ where: { slug: { [Op.in]: slugs } }, attributes: ['id', 'slug'], transaction })).map((p) => [p.slug, p.id]) : [],
    );
    this.categories ??= new Set((await Category.findAll({ attributes: ['id'], transaction })).map((c) => c.id));
    return rows.map((row) => this.planRow(row, fileProblems.get(row.line), { bySku, byId, variantSkus, tags, slugOwners }));
  }

  private planRow(
    row: CsvRow,
    fileProblem: string | undefined,
    found: { bySku: Map<string, Product>; byId: Map<number, Product>; variantSkus: Set<string>; tags: Map<number, string[]>; slugOwners: Map<string, number> },
  ): RowPlan {
    const cells = row.cells;
    const sku = (cells.sku ?? '').trim() || null;
    const title = (cells.title ?? '').trim().slice(0, 200);
    const refuse = (message: string, product?: Product): RowPlan => ({ line: row.line, plan: 'error', productId: product?.id ?? null, sku, title: title || product?.title || '', message });
    if (row.problem) return refuse(row.problem);
    if (fileProblem) return refuse(fileProblem);
    if (sku && !SKU_PATTERN.test(sku)) return refuse(`sku: ${SKU_MESSAGE}`);
    const idCell = (cells.id ?? '').trim();
    if (idCell && !/^\d{1,12}$/.test(idCell)) return refuse('id: a product id is a number (leave it empty for a new product)');
    const currency = (cells.currency ?? '').trim().toUpperCase();
    if (currency && currency !== this.shop.currency) return refuse(`currency: your shop sells in ${this.shop.currency}, the row says ${currency}`);

    const bySku = sku ? found.bySku.get(sku) : undefined;
    const byId = idCell ? found.byId.get(Number(idCell)) : undefined;
    if (idCell && !byId) return refuse(`id: your shop has no product #${idCell} (leave the id empty to create a product)`);
    if (bySku && byId && bySku.id !== byId.id) return refuse(`The SKU “${sku}” is product #${bySku.id}’s, but the row’s id is #${byId.id}`);
    if (sku && !bySku && found.variantSkus.has(sku)) return refuse(`The SKU “${sku}” is a variant’s: change variants on their product’s variants page`);
    const product = bySku ?? byId;

    // Only the columns the file has are changed; an update starts from the product as it is.
    const given: Record<string, string> = {};
    for (const c of IMPORTED_COLUMNS) if (c !== 'sku' && cells[c] !== undefined) given[c] = cells[c]!;
    if (product) {
      const tags = found.tags.get(product.id) ?? [];
      const base = productFormValues(product, tags);
      // Blank where blank cannot mean "none": keep the product's.
      for (const keep of ['status', 'tax_class', 'slug'] as const) if (given[keep] === '') delete given[keep];
      // The address is checked only when the row changes it (an old one made before today's rule stays).
      if (given.slug !== undefined && given.slug.toLowerCase() === product.slug) delete given.slug;
      const parsed = parseProductRow({ ...base, slug: '', ...given }, this.shop.currency);
      if (!parsed.ok) return refuse(problemsOf(parsed.errors), product);
      const input = { ...parsed.data, slug: parsed.data.slug || product.slug, sku: sku ?? product.sku ?? null };
      const slugOwner = found.slugOwners.get(input.slug);
      if (slugOwner !== undefined && slugOwner !== product.id) return refuse(`slug: the address “${input.slug}” is already another product’s`, product);
      if (input.category_id !== null && !this.categories!.has(input.category_id)) return refuse(`category: there is no category #${input.category_id}`, product);
      const before = currentInput(product, tags);
      const after = { ...input, tax_class: input.tax_class ?? product.tax_class };
      if (product.variant_count > 0 && after.stock !== before.stock) return refuse('stock: this product’s stock is its variants’ sum; set it per variant (its variants page, or the bulk edit)', product);
      const changes = describeChanges(before, after as Comparable, this.shop.currency);
      const tagsChanged = changes.some((c) => c.startsWith('tags '));
      if (!changes.length) return { line: row.line, plan: 'unchanged', productId: product.id, sku: input.sku, title: product.title, message: null, product };
      return { line: row.line, plan: 'update', productId: product.id, sku: input.sku, title: input.title, message: changes.join('; ').slice(0, 1000), input, product, tagsChanged };
    }
    if (given.status === '' || given.status === undefined) given.status = 'draft';
    const parsed = parseProductRow(given, this.shop.currency);
    if (!parsed.ok) return refuse(problemsOf(parsed.errors));
    const input = { ...parsed.data, sku };
    if (input.slug && found.slugOwners.has(input.slug)) return refuse(`slug: the address “${input.slug}” is already another product’s`);
    if (input.category_id !== null && !this.categories!.has(input.category_id)) return refuse(`category: there is no category #${input.category_id}`);
    return { line: row.line, plan: 'create', productId: null, sku, title: input.title, message: null, input };
  }
}

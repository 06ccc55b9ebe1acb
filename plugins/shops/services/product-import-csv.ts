import { parse } from 'csv-parse/sync';
import { csvRow, minorPerMajor } from '@agora/core';
import { Op } from 'sequelize';
import { Product } from '../models/product';
import { ProductTag } from '../models/product-tag';

/**
 * The columns of a shop's products CSV: what the export writes and the import reads, in this order. The
 * import matches a row to a product by `sku`, else by `id`; `currency` must be the shop's (or empty);
 * `published_at`, `created_at` and `updated_at` are the export's information and are not imported.
 */
export const PRODUCT_CSV_COLUMNS = [
  'id', 'sku', 'slug', 'title', 'status', 'currency', 'price', 'compare_at_price', 'stock', 'category_id', 'tags', 'tax_class', 'description', 'published_at', 'created_at', 'updated_at',
] as const;
export type ProductCsvColumn = (typeof PRODUCT_CSV_COLUMNS)[number];
/** The columns an import takes values from (the others are read and checked, or ignored). */
export const IMPORTED_COLUMNS = ['sku', 'slug', 'title', 'status', 'price', 'compare_at_price', 'stock', 'category_id', 'tags', 'tax_class', 'description'] as const;
export type ImportedColumn = (typeof IMPORTED_COLUMNS)[number];
const READ_ONLY = new Set<string>(['published_at', 'created_at', 'updated_at']);

/** An amount in minor units as the CSV writes it: major units with the currency's decimals ("12.50", "1200" for yen). */
export function csvAmount(minor: number | null, currency: string): string {
  if (minor === null) return '';
  const scale = minorPerMajor(currency);
  return scale === 1 ? String(minor) : (minor / scale).toFixed(Math.round(Math.log10(scale)));
}

/** One product as the cells of its CSV row (tags comma-separated, as the product form takes them). */
export function productCsvCells(p: Product, tags: string[]): unknown[] {
  return [
    p.id, p.sku ?? '', p.slug, p.title, p.status, p.currency, csvAmount(p.price, p.currency), csvAmount(p.compare_at_price, p.currency), p.stock ?? '', p.category_id ?? '',
    tags.join(', '), p.tax_class, p.description, p.published_at ?? '', p.created_at, p.updated_at,
  ];
}

/** Each product's tags (alphabetical: the table keeps no order), for a page of products at once. */
export async function tagsOf(productIds: number[]): Promise<Map<number, string[]>> {
  const byProduct = new Map<number, string[]>(productIds.map((id) => [id, []]));
  if (!productIds.length) return byProduct;
  const rows = await ProductTag.findAll({ where: { product_id: { [Op.in]: productIds } }, order: [['product_id', 'ASC'], ['tag', 'ASC']] });
  for (const r of rows) byProduct.get(r.product_id)?.push(r.tag);
  return byProduct;
}

/**
 * A shop's products as CSV (core's formula-safe cells), in pages of 500: the columns above, prices in
 * major units, stock empty for unlimited. Read back by the import, it changes nothing.
 */
export async function* productsCsv(shopId: number): AsyncGenerator<string> {
  yield csvRow(PRODUCT_CSV_COLUMNS);
  for (let after = 0; ; ) {
    const rows = await Product.findAll({ where: { shop_id: shopId, id: { [Op.gt]: after } }, order: [['id', 'ASC']], limit: 500 });
    const tags = await tagsOf(rows.map((p) => p.id));
    for (const p of rows) yield csvRow(productCsvCells(p, tags.get(p.id) ?? []));
    if (rows.length < 500) return;
    after = rows[rows.length - 1].id;
  }
}

/** The template to fill in: the export's header and one example row to replace. */
export function templateCsv(currency: string): string {
  const example: Record<string, string> = {
    sku: 'MUG-BLUE-01', title: 'Blue mug (example: replace this row)', status: 'draft', currency, price: csvAmount(1250, currency),
    stock: '10', tags: 'kitchen, blue', tax_class: 'standard', description: 'Stoneware, 350 ml. Dishwasher safe.',
  };
  return csvRow(PRODUCT_CSV_COLUMNS) + csvRow(PRODUCT_CSV_COLUMNS.map((c) => example[c] ?? ''));
}

/** A file that cannot be read as a products CSV at all. */
export class CsvFileProblem extends Error {}

export interface CsvRow {
  /** The row's number as a spreadsheet shows it: the header is row 1. */
  line: number;
  /** Cells of the known columns the file has, trimmed; the export's apostrophe before a formula sign removed. */
  cells: Partial<Record<ProductCsvColumn, string>>;
  /** Set when the row has more or fewer cells than the header. */
  problem?: string;
}

export interface ParsedCsv {
  columns: ProductCsvColumn[];
  ignored: string[];
  rows: CsvRow[];
}

/** The export's guard against formulas ("'=..." for "=..."), taken off again. */
const unguard = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

/**
 * Reads a products CSV (UTF-8, with or without a BOM; comma or semicolon separated, as spreadsheets in
 * several languages save it). The first row names the columns (any case; unknown ones are ignored and
 * named). At most `maxRows` data rows; blank lines are skipped.
 */
export function readProductsCsv(data: Buffer, maxRows: number): ParsedCsv {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new CsvFileProblem('The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”.');
  }
  text = text.replace(/^\uFEFF/, '');
  if (!text.trim()) throw new CsvFileProblem('The file is empty.');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, to: maxRows + 2 }) as string[][];
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    throw new CsvFileProblem(`The file is not valid CSV${e.lines ? ` (near line ${e.lines})` : ''}: ${String(e.message ?? 'unreadable').replace(/^Invalid [^:]*: /, '')}`);
  }
  const [header = [], ...data_] = records;
  if (data_.length > maxRows) throw new CsvFileProblem(`The file has more than ${maxRows.toLocaleString('en')} products; split it into smaller files.`);
  const names = header.map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'));
  const known = new Set<string>(PRODUCT_CSV_COLUMNS);
  const columns = names.filter((n): n is ProductCsvColumn => known.has(n));
  if (!columns.some((c) => c === 'sku' || c === 'id' || c === 'title')) {
    throw new CsvFileProblem('The first row must name the columns, as in the template (sku, title, price, stock…).');
  }
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate) throw new CsvFileProblem(`The column “${duplicate}” is there twice.`);
  const ignored = names.filter((n) => n && !known.has(n));
  if (!data_.length) throw new CsvFileProblem('The file has a header but no products.');
  const rows = data_.map((record, i): CsvRow => {
    const cells: CsvRow['cells'] = {};
    names.forEach((name, j) => {
      if (known.has(name) && !READ_ONLY.has(name)) cells[name as ProductCsvColumn] = unguard(record[j] ?? '');
    });
    // A semicolon file comes from a spreadsheet that writes decimal commas: "12,50" is 12.50 there.
    if (delimiter === ';') for (const c of ['price', 'compare_at_price'] as const) if (/^\d{1,9},\d{1,3}$/.test(cells[c] ?? '')) cells[c] = cells[c]!.replace(',', '.');
    const problem = record.length !== header.length ? `The row has ${record.length} cells where the header has ${header.length}` : undefined;
    return { line: i + 2, cells, problem };
  });
  return { columns, ignored, rows };
}

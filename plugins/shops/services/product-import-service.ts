import { Op, QueryTypes, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Hooks, PluginContext } from '@agora/core';
import { Product } from '../models/product';
import { ProductTag } from '../models/product-tag';
import { Shop } from '../models/shop';
import { ProductImport, ProductImportRow, type ImportOutcome, type ImportPlan } from '../models/product-import';
import { ImportPlanner, type RowPlan } from './product-import-plan';
import { readProductsCsv, type CsvRow, type ParsedCsv } from './product-import-csv';
import { refreshVariantSummary } from './variant-service';
import { announceProductChanges, beforeOf, type ProductBefore } from './product-bulk-hooks';
import { slugify } from './text';

export const IMPORT_JOB = 'shops.product-import';
/** Rows applied per transaction by the job (and planned per batch of queries by the preview). */
export const IMPORT_BATCH = 250;

declare module '@agora/core' {
  interface JobMap {
    /** Applies the rows of a confirmed product import (services/product-import-service.ts). */
    'shops.product-import': { importId: number };
  }
}

export interface ImportCounts {
  create: number;
  update: number;
  unchanged: number;
  error: number;
}

/** What the progress page and its JSON say. */
export interface ImportProgress {
  id: number;
  status: ProductImport['status'];
  total: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
  percent: number;
}

export function progressOf(imp: ProductImport): ImportProgress {
  const total = imp.total_rows;
  return {
    id: imp.id,
    status: imp.status,
    total,
    processed: imp.processed_rows,
    created: imp.created_count,
    updated: imp.updated_count,
    unchanged: imp.unchanged_count,
    errors: imp.error_count,
    percent: total ? Math.floor((imp.processed_rows / total) * 100) : 100,
  };
}

const rowsFromStored = (stored: ProductImportRow[]): CsvRow[] => stored.map((r) => ({ line: r.line, cells: JSON.parse(r.cells) as CsvRow['cells'] }));

/**
 * CSV product imports: read and planned into a preview (nothing changes yet), confirmed once (the claim:
 * a conditional update from `previewed` to `queued`, with the job enqueued in the same transaction), then
 * applied by a background job in batches: each batch one transaction, each row a savepoint so a row that
 * fails is reported and the others kept; progress counted in the batch's transaction; hooks after each
 * batch's commit, as single edits fire them.
 */
export class ProductImportService {
  constructor(private readonly ctx: Pick<PluginContext, 'jobs' | 'log'> & { hooks: Pick<Hooks, 'do'> }) {}

  /** Reads the file and stores its preview; throws CsvFileProblem for a file that cannot be read at all. */
  async preview(shop: Shop, userId: number | null, filename: string, data: Buffer, maxRows: number): Promise<{ imp: ProductImport; parsed: ParsedCsv }> {
    const parsed = readProductsCsv(data, maxRows);
    const planner = new ImportPlanner(shop);
    const problems = ImportPlanner.fileProblems(parsed.rows);
    const plans: RowPlan[] = [];
    for (let i = 0; i < parsed.rows.length; i += IMPORT_BATCH) plans.push(...(await planner.plan(parsed.rows.slice(i, i + IMPORT_BATCH), problems)));
    const imp = await Product.sequelize!.transaction(async (transaction) => {
      const created = await ProductImport.create({ shop_id: shop.id, user_id: userId, filename: filename.slice(0, 200) || 'products.csv', status: 'previewed', total_rows: parsed.rows.length }, { transaction });
      for (let i = 0; i < plans.length; i += 500) {
        await ProductImportRow.bulkCreate(
          plans.slice(i, i + 500).map((p, j) => ({
            import_id: created.id,
            line: p.line,
            cells: JSON.stringify(parsed.rows[i + j].cells),
            planned: p.plan,
            product_id: p.productId,
            sku: p.sku,
            title: p.title.slice(0, 200),
            message: p.message?.slice(0, 1000) ?? null,
          })),
          { transaction },
        );
      }
      return created;
    });
    return { imp, parsed };
  }

  /** How many rows of the preview create, update, change nothing, or are refused. */
  static async counts(importId: number): Promise<ImportCounts> {
    const rows = await ProductImport.sequelize!.query<{ planned: ImportPlan; n: number | string }>('SELECT planned, COUNT(*) AS n FROM product_import_rows WHERE import_id = :importId GROUP BY planned', {
      replacements: { importId },
      type: QueryTypes.SELECT,
    });
    const counts: ImportCounts = { create: 0, update: 0, unchanged: 0, error: 0 };
    for (const r of rows) counts[r.planned] = Number(r.n);
    return counts;
  }

  /** An import of this shop, or null (another shop's id is simply not found). */
  static find(shopId: number, importId: number): Promise<ProductImport | null> {
    return ProductImport.findOne({ where: { id: importId, shop_id: shopId } });
  }

  /**
   * Confirms a preview: the conditional update `previewed → queued` is the claim, so a second confirm (a
   * double click, two tabs) finds nothing to claim and enqueues nothing. False when it was not previewed.
   */
  async confirm(shopId: number, importId: number): Promise<boolean> {
    return Product.sequelize!.transaction(async (transaction) => {
      const [claimed] = await ProductImport.update({ status: 'queued', confirmed_at: new Date() }, { where: { id: importId, shop_id: shopId, status: 'previewed' }, transaction });
      if (claimed !== 1) return false;
      await this.ctx.jobs.enqueue(IMPORT_JOB, { importId }, { tx: transaction, dedupeKey: `product-import-${importId}`, maxAttempts: 5 });
      return true;
    });
  }

  /** Throws a preview away (its rows go with it); false when it was already confirmed. */
  async discard(shopId: number, importId: number): Promise<boolean> {
    return Product.sequelize!.transaction(async (transaction) => {
      const [claimed] = await ProductImport.update({ status: 'discarded', finished_at: new Date() }, { where: { id: importId, shop_id: shopId, status: 'previewed' }, transaction });
      if (claimed === 1) await ProductImportRow.destroy({ where: { import_id: importId }, transaction });
      return claimed === 1;
    });
  }

  /**
   * The job: applies the rows still pending, a batch per transaction, until none is left. Safe to run
   * again after a crash (a retry): applied rows are no longer pending, and a batch commits its rows'
   * outcomes with their changes.
   */
  async run(importId: number): Promise<void> {
    const [started] = await ProductImport.update({ status: 'running' }, { where: { id: importId, status: { [Op.in]: ['queued', 'running'] } } });
    if (started !== 1) return;
    const imp = await ProductImport.findByPk(importId);
    const shop = imp ? await Shop.findByPk(imp.shop_id) : null;
    if (!imp || !shop) return;
    const planner = new ImportPlanner(shop);
    for (;;) {
      const { done, changes } = await this.applyBatch(imp, shop, planner);
      await announceProductChanges(this.ctx.hooks, changes, 'import');
      if (done) break;
    }
    await ProductImport.update({ status: 'done', finished_at: new Date() }, { where: { id: importId, status: 'running' } });
  }

  /**
   * One batch in one transaction. Rows are first applied straight; should the database refuse one (a
   * SKU or address taken since the plan), the batch is rolled back and applied again with a savepoint per
   * row, so that row is reported and the others kept.
   */
  private async applyBatch(imp: ProductImport, shop: Shop, planner: ImportPlanner): Promise<{ done: boolean; changes: Array<{ product: Product; before?: ProductBefore }> }> {
    try {
      return await this.tryBatch(imp, shop, planner, false);
    } catch (error) {
      if (!(error instanceof RowRefused)) throw error;
      return this.tryBatch(imp, shop, planner, true);
    }
  }

  private async tryBatch(imp: ProductImport, shop: Shop, planner: ImportPlanner, isolateRows: boolean): Promise<{ done: boolean; changes: Array<{ product: Product; before?: ProductBefore }> }> {
    const sequelize = Product.sequelize!;
    const changes: Array<{ product: Product; before?: ProductBefore }> = [];
    const done = await sequelize.transaction(async (transaction) => {
      // One runner at a time per import: the import's row is locked for the batch (PostgreSQL; SQLite has one writer).
      await ProductImport.findByPk(imp.id, { transaction, lock: transaction.LOCK.UPDATE });
      const pending = await ProductImportRow.findAll({ where: { import_id: imp.id, outcome: 'pending' }, order: [['line', 'ASC']], limit: IMPORT_BATCH, transaction });
      if (!pending.length) return true;
      // Planned errors stay errors; the rest is planned again against the shop as it is now, products locked.
      const toPlan = pending.filter((r) => r.planned !== 'error');
      const plans = new Map((await planner.plan(rowsFromStored(toPlan), new Map(), { transaction, lock: true })).map((p) => [p.line, p]));
      const tally = { created_count: 0, updated_count: 0, unchanged_count: 0, error_count: 0 };
      let publishedDelta = 0;
      const usedSlugs = new Set<string>();
      // Rows whose outcome is all that changes are updated together, one statement per outcome.
      const plain = new Map<ImportOutcome, number[]>();
      for (const row of pending) {
        const plan = plans.get(row.line);
        let outcome: ImportOutcome;
        let message: string | null;
        let productId = row.product_id;
        if (!plan || plan.plan === 'error') {
          outcome = 'failed';
          message = plan?.message ?? row.message;
        } else if (plan.plan === 'unchanged') {
          outcome = 'unchanged';
          message = null;
        } else {
          try {
            const apply = (t: Transaction) => this.applyRow(shop, plan, usedSlugs, t);
            const applied = isolateRows ? await sequelize.transaction(async (savepoint) => apply(savepoint)) : await apply(transaction);
            outcome = plan.plan === 'create' ? 'created' : 'updated';
            message = plan.message;
            productId = applied.product.id;
            publishedDelta += applied.publishedDelta;
            changes.push({ product: applied.product, before: applied.before });
          } catch (error) {
            if (!(error instanceof UniqueConstraintError) && isolateRows) this.ctx.log.warn({ err: error, importId: imp.id, line: row.line }, 'an import row failed');
            if (!isolateRows) throw new RowRefused();
            outcome = 'failed';
            message = error instanceof UniqueConstraintError ? 'The SKU or the address (slug) is already another product’s' : 'Could not be saved; try this row again';
          }
        }
        tally[outcome === 'created' ? 'created_count' : outcome === 'updated' ? 'updated_count' : outcome === 'unchanged' ? 'unchanged_count' : 'error_count']++;
        const newMessage = message?.slice(0, 1000) ?? null;
        if (newMessage === row.message && productId === row.product_id) plain.set(outcome, [...(plain.get(outcome) ?? []), row.id]);
        else await row.update({ outcome, message: newMessage, product_id: productId }, { transaction });
      }
      for (const [outcome, ids] of plain) await ProductImportRow.update({ outcome }, { where: { id: { [Op.in]: ids } }, transaction });
      if (publishedDelta) await Shop.increment('product_count', { by: publishedDelta, where: { id: shop.id }, transaction });
      await ProductImport.increment({ processed_rows: pending.length, ...tally }, { where: { id: imp.id }, transaction });
      return false;
    });
    return { done, changes };
  }

  private async applyRow(shop: Shop, plan: RowPlan, usedSlugs: Set<string>, transaction: Transaction): Promise<{ product: Product; before?: ProductBefore; publishedDelta: number }> {
    const input = plan.input!;
    if (plan.plan === 'update') {
      const product = plan.product!;
      const before = beforeOf(product);
      const publishing = input.status === 'published' && product.status !== 'published';
      const unpublishing = input.status !== 'published' && product.status === 'published';
      await product.update(
        {
          sku: input.sku,
          title: input.title,
          slug: input.slug || product.slug,
          description: input.description,
          price: input.price,
          compare_at_price: input.compare_at_price,
          stock: product.variant_count > 0 ? product.stock : input.stock,
          category_id: input.category_id,
          status: input.status,
          tax_class: input.tax_class ?? product.tax_class,
          tags_text: input.tags.join(' '),
          published_at: publishing && !product.published_at ? new Date() : product.published_at,
        },
        { transaction },
      );
      if (plan.tagsChanged) await replaceTags(product.id, input.tags, transaction);
      if (product.variant_count > 0) await refreshVariantSummary(product, transaction);
      return { product, before, publishedDelta: publishing ? 1 : unpublishing ? -1 : 0 };
    }
    const published = input.status === 'published';
    const product = await Product.create(
      {
        shop_id: shop.id,
        sku: input.sku,
        title: input.title,
        slug: input.slug || (await freeSlug(input.title, usedSlugs, transaction)),
        description: input.description,
        price: input.price,
        compare_at_price: input.compare_at_price,
        currency: shop.currency,
        stock: input.stock,
        category_id: input.category_id,
        status: input.status,
        tax_class: input.tax_class ?? 'standard',
        tags_text: input.tags.join(' '),
        published_at: published ? new Date() : null,
      },
      { transaction },
    );
    usedSlugs.add(product.slug);
    await replaceTags(product.id, input.tags, transaction);
    return { product, publishedDelta: published ? 1 : 0 };
  }
}

/** A row the database refused in a batch applied without savepoints: the batch is applied again, row by row. */
class RowRefused extends Error {}

async function replaceTags(productId: number, tags: string[], transaction: Transaction): Promise<void> {
  await ProductTag.destroy({ where: { product_id: productId }, transaction });
  if (tags.length) await ProductTag.bulkCreate(tags.map((tag) => ({ product_id: productId, tag })), { transaction });
}

/** The title's address, with -2, -3… when taken (by any shop's product, or earlier in this batch). */
async function freeSlug(title: string, usedSlugs: Set<string>, transaction: Transaction): Promise<string> {
  const base = slugify(title, 180) || 'product';
  // The first few candidates by the unique index (an IN list); a LIKE that scans only when they are all taken.
  const candidates = [base, ...Array.from({ length: 20 }, (_, i) => `${base}-${i + 2}`)];
  const taken = new Set([...usedSlugs, ...(await Product.findAll({ where: { slug: { [Op.in]: candidates } }, attributes: ['slug'], transaction })).map((p) => p.slug)]);
  const free = candidates.find((c) => !taken.has(c));
  if (free) return free;
  for (const p of await Product.findAll({ where: { slug: { [Op.like]: `${base}-%` } }, attributes: ['slug'], transaction })) taken.add(p.slug);
  for (let i = 2; i < 100_000; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  return `${base}-${Date.now().toString(36)}`;
}

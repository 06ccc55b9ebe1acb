import type { Request, RequestHandler, Response } from 'express';
import { Op } from 'sequelize';
import { csvRow, filesOf, megabytes, notFound, pageFrom, pager, type FieldErrors, type PluginContext } from '@agora/core';
import { ProductImport, ProductImportRow, type ImportOutcome, type ImportPlan } from '../models/product-import';
import type { Shop } from '../models/shop';
import type { ShopsSettings } from '../settings';
import { requireSellerShop } from '../services/shop-access';
import { sendCsv } from '../services/order-search';
import { CsvFileProblem, PRODUCT_CSV_COLUMNS, templateCsv } from '../services/product-import-csv';
import { IMPORT_JOB, ProductImportService, progressOf } from '../services/product-import-service';
import { idParam } from './upload-helpers';

const ROWS_PER_PAGE = 50;
const SHOWN: ReadonlyArray<ImportPlan> = ['error', 'create', 'update', 'unchanged'];

/** The store's limits on an import (settings, with the defaults of a store that set none). */
function importLimits(ctx: PluginContext): { maxRows: number; maxBytes: number } {
  const settings = ctx.settings.get<ShopsSettings>();
  return { maxRows: settings.importMaxRows, maxBytes: settings.importMaxMegabytes * 1024 * 1024 };
}

/**
 * /seller/imports: upload a products CSV, see its preview (new, updated, unchanged, refused rows with their
 * row numbers and reasons), confirm it once, and follow the job on a progress page (a <progress> that a
 * reload updates; with script, import-progress.js polls the JSON).
 */
export function productImportRoutes(ctx: PluginContext): void {
  const { router } = ctx;
  const seller = requireSellerShop(ctx.capabilities.can);
  const service = new ProductImportService(ctx);
  ctx.jobs.define(IMPORT_JOB, async ({ importId }) => service.run(Number(importId)));
  ctx.assets.script({ src: '/plugins/shops/import-progress.js', consent: 'necessary', templates: 'shops/seller/import' });

  const uploadPage = async (res: Response, shop: Shop, errors: FieldErrors = {}, status = 200) => {
    const { maxRows, maxBytes } = importLimits(ctx);
    const imports = await ProductImport.findAll({ where: { shop_id: shop.id }, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: 10 });
    await res.renderPage('shops/seller/imports', { title: 'Import products', shop, errors, imports, maxRows, maxUpload: megabytes(maxBytes), columns: PRODUCT_CSV_COLUMNS }, status);
  };

  const ownImport = async (req: Request): Promise<ProductImport> => {
    const id = idParam(req.params.id);
    const imp = id === undefined ? null : await ProductImportService.find(req.sellerShop!.id, id);
    if (!imp) throw notFound('import');
    return imp;
  };

  router.get('/seller/imports', ...seller, async (req, res) => uploadPage(res, req.sellerShop!));
  router.get('/seller/imports/new', ...seller, async (req, res) => uploadPage(res, req.sellerShop!));

  router.get('/seller/imports/template.csv', ...seller, async (req, res) => {
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="products-template.csv"');
    res.send(`\uFEFF${templateCsv(req.sellerShop!.currency)}`);
  });

  // The file's size cap is the store's setting, read at each upload.
  const upload: RequestHandler = (req, res, next) => ctx.files.upload([{ name: 'file', maxCount: 1 }], importLimits(ctx).maxBytes)(req, res, next);

  router.post('/seller/imports', ...seller, upload, async (req, res) => {
    const shop = req.sellerShop!;
    if (req.uploadProblem) return uploadPage(res, shop, { file: req.uploadProblem.message }, 422);
    const [file] = filesOf(req, 'file');
    if (!file || !file.size) return uploadPage(res, shop, { file: 'Choose a CSV file to import.' }, 422);
    if (!/\.(csv|txt)$/i.test(file.originalname) && !/^text\/|csv/.test(file.mimetype)) return uploadPage(res, shop, { file: 'Choose a CSV file (.csv), as your spreadsheet saves it.' }, 422);
    try {
      const { imp } = await service.preview(shop, req.user!.id, file.originalname, file.buffer, importLimits(ctx).maxRows);
      res.redirect(303, `/seller/imports/${imp.id}`);
    } catch (error) {
      if (!(error instanceof CsvFileProblem)) throw error;
      await uploadPage(res, shop, { file: error.message }, 422);
    }
  });

  router.get('/seller/imports/:id', ...seller, async (req, res) => {
    const imp = await ownImport(req);
    const show = SHOWN.includes(req.query.show as ImportPlan) ? (req.query.show as ImportPlan) : undefined;
    const counts = await ProductImportService.counts(imp.id);
    const chosen = show ?? SHOWN.find((s) => counts[s] > 0) ?? 'error';
    const page = pageFrom(req.query, ROWS_PER_PAGE);
    const where = imp.status === 'previewed' || imp.status === 'discarded' ? { import_id: imp.id, planned: chosen } : { import_id: imp.id, ...outcomeFilter(chosen) };
    const { rows, count } = await ProductImportRow.findAndCountAll({ where, order: [['line', 'ASC']], limit: page.perPage, offset: page.offset });
    await res.renderPage('shops/seller/import', {
      title: imp.status === 'previewed' ? 'Check the import' : 'Import',
      shop: req.sellerShop!,
      imp,
      counts,
      progress: progressOf(imp),
      show: chosen,
      rows,
      pager: pager(`/seller/imports/${imp.id}`, { show: chosen }, { page: page.page, perPage: page.perPage, total: count, noun: 'rows' }),
    });
  });

  router.get('/seller/imports/:id/progress.json', ...seller, async (req, res) => {
    const imp = await ownImport(req);
    res.setHeader('Cache-Control', 'no-store');
    res.json(progressOf(imp));
  });

  router.get('/seller/imports/:id/errors.csv', ...seller, async (req, res) => {
    const imp = await ownImport(req);
    const finished = imp.status !== 'previewed' && imp.status !== 'discarded';
    async function* lines(): AsyncGenerator<string> {
      yield csvRow(['row', 'sku', 'title', 'error']);
      for (let after = 0; ; ) {
        const rows = await ProductImportRow.findAll({ where: { import_id: imp.id, ...(finished ? { outcome: 'failed' } : { planned: 'error' }), line: { [Op.gt]: after } }, order: [['line', 'ASC']], limit: 500 });
        for (const r of rows) yield csvRow([r.line, r.sku ?? '', r.title, r.message ?? '']);
        if (rows.length < 500) return;
        after = rows[rows.length - 1].line;
      }
    }
    await sendCsv(res, `import-${imp.id}-errors.csv`, lines());
  });

  router.post('/seller/imports/:id/confirm', ...seller, async (req, res) => {
    const imp = await ownImport(req);
    const counts = await ProductImportService.counts(imp.id);
    if (imp.status === 'previewed' && counts.create + counts.update === 0) {
      res.flash('info', 'Nothing in this file would change your products.');
      return res.redirect(303, `/seller/imports/${imp.id}`);
    }
    if (await service.confirm(req.sellerShop!.id, imp.id)) res.flash('success', 'The import has started. This page follows it.');
    else res.flash('info', 'This import was already confirmed.');
    res.redirect(303, `/seller/imports/${imp.id}`);
  });

  router.post('/seller/imports/:id/discard', ...seller, async (req, res) => {
    const imp = await ownImport(req);
    if (await service.discard(req.sellerShop!.id, imp.id)) res.flash('success', 'The preview was discarded; nothing was changed.');
    else res.flash('info', 'This import was already confirmed, so it cannot be discarded.');
    res.redirect(303, '/seller/imports');
  });
}

const OUTCOME_OF: Record<ImportPlan, ImportOutcome> = { error: 'failed', create: 'created', update: 'updated', unchanged: 'unchanged' };

/** A confirmed import's rows of a kind, by what the job did with them. */
function outcomeFilter(kind: ImportPlan): { outcome: ImportOutcome } {
  return { outcome: OUTCOME_OF[kind] };
}

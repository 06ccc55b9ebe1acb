import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { pageFrom, pager, type FieldErrors, type PluginContext } from '@agora/core';
import { Product } from '../models/product';
import type { Shop } from '../models/shop';
import { requireSellerShop } from '../services/shop-access';
import { FormProblem } from '../services/form-problem';
import { BulkEditAlreadyApplied, ProductBulkEditService } from '../services/product-bulk-edit';
import { listFiltersFrom, listQuery, LIST_PAGE_SIZES, LOW_STOCK, productListWhere } from '../services/product-bulk-list';
import { csvLink } from '../services/order-search';
import { MAX_BULK_PRODUCTS, parseBulkEditForm } from './product-bulk-form';

const newRequestKey = () => crypto.randomBytes(16).toString('hex');

/** What a refused bulk edit re-renders: the boxes that were ticked and the values typed. */
interface BulkState {
  values: Record<string, unknown>;
  errors: FieldErrors;
  selected: Set<number>;
  requestKey: string;
}

/**
 * The seller's product list (/seller/products): filters (title or SKU, status, stock), page sizes, and the
 * bulk edit form its checkboxes belong to (they work without script through the `form` attribute, so the
 * rows' own publish buttons keep their forms).
 */
export async function renderProductList(req: Request, res: Response, shop: Shop, state?: BulkState, status = 200): Promise<void> {
  // A refused bulk edit (a POST) shows the page the seller was on: its query came in the form.
  const query: Record<string, unknown> = state ? parseBack((req.body as Record<string, unknown> | undefined)?.back_query) : (req.query as Record<string, unknown>);
  const filters = listFiltersFrom(query);
  const page = pageFrom(query, filters.per);
  const { rows, count } = await Product.findAndCountAll({ where: productListWhere(shop.id, filters), order: [['id', 'DESC']], limit: page.perPage, offset: page.offset });
  const applied = listQuery(filters);
  await res.renderPage(
    'shops/seller/products',
    {
      title: 'Your products',
      shop,
      products: rows,
      pager: pager('/seller/products', applied, { page: page.page, perPage: page.perPage, total: count, noun: 'products' }),
      filters,
      pageSizes: LIST_PAGE_SIZES,
      lowStock: LOW_STOCK,
      maxBulk: MAX_BULK_PRODUCTS,
      backQuery: new URLSearchParams({ ...applied, ...(page.page > 1 ? { page: String(page.page) } : {}) }).toString(),
      exportHref: csvLink('/seller/products.csv', {}),
      bulk: state ?? { values: {}, errors: {}, selected: new Set<number>(), requestKey: newRequestKey() },
      recentEdits: await ProductBulkEditService.recent(shop.id, 3),
    },
    status,
  );
}

/** The list's query string carried through the bulk form, so a refused edit shows the same page. */
function parseBack(value: unknown): Record<string, string> {
  if (typeof value !== 'string' || value.length > 500) return {};
  return Object.fromEntries(new URLSearchParams(value));
}

/** POST /seller/products/bulk: the bulk edit of the products ticked on the list. */
export function productBulkRoutes(ctx: PluginContext): void {
  const seller = requireSellerShop(ctx.capabilities.can);
  const service = new ProductBulkEditService(ctx.hooks);

  ctx.router.post('/seller/products/bulk', ...seller, async (req, res) => {
    const shop = req.sellerShop!;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const back = parseBack(body.back_query);
    const backUrl = `/seller/products${Object.keys(back).length ? `?${new URLSearchParams(back).toString()}` : ''}`;
    const ticked = new Set((Array.isArray(body.ids) ? body.ids : [body.ids]).filter((v): v is string => typeof v === 'string' && /^\d{1,12}$/.test(v)).map(Number));
    const requestKey = typeof body.request_key === 'string' && /^[a-f0-9]{32}$/.test(body.request_key) ? body.request_key : newRequestKey();
    const refuse = (errors: FieldErrors) => renderProductList(req, res, shop, { values: body, errors, selected: ticked, requestKey }, 422);

    const parsed = parseBulkEditForm(body, shop.currency);
    if (!parsed.ok) return refuse(parsed.errors);
    try {
      const result = await service.apply(shop, req.user!.id, parsed.data);
      const kept = result.unlimitedKept ? ` ${result.unlimitedKept} with unlimited stock kept it unlimited.` : '';
      res.flash('success', `${result.changed} ${result.changed === 1 ? 'product was' : 'products were'} changed.${kept}`);
      res.redirect(303, backUrl);
    } catch (error) {
      if (error instanceof BulkEditAlreadyApplied) {
        res.flash('info', 'These changes were already applied (the form was sent twice).');
        return res.redirect(303, backUrl);
      }
      if (!(error instanceof FormProblem)) throw error;
      await refuse(error.errors);
    }
  });
}

import { Op } from 'sequelize';
import { z } from 'zod';
import { type PluginContext, notFound, parseMoney, pageFrom, pager, readCache, type Pager } from '@agora/core';
import { Category } from '../models/category';
import { Shop } from '../models/shop';
import { ShippingMethod } from '../models/shipping-method';
import { renderProductPage } from './product-page';
import { CATALOG_SORTS, catalogOptions, parseOptionFilter, searchProducts, type CatalogResult } from '../services/catalog-service';
import { paragraphs, SLUG_PATTERN } from '../services/text';
import { cardActionsFor } from '../services/card-actions';
import { productAt } from '../services/product-page-reads';

export const CATALOG_PER_PAGE = 24;
const SHOPS_PER_PAGE = 24;

/** Catalog filters from the query string; a value that makes no sense is dropped, never an error page. */
const catalogQuery = z.object({
  q: z.string().trim().max(200).catch(''),
  category: z.string().regex(SLUG_PATTERN).max(100).optional().catch(undefined),
  min: z.string().trim().max(20).optional().catch(undefined),
  max: z.string().trim().max(20).optional().catch(undefined),
  sort: z.enum(CATALOG_SORTS).optional().catch(undefined),
  /** "4": products rated 4 stars and up on average. */
  rating: z.enum(['1', '2', '3', '4']).optional().catch(undefined),
});

/** Price filters are typed in major units; every shop currency has two decimals, so one scale fits all. */
const priceFilter = (v: string | undefined) => (v ? parseMoney(v, 'EUR') : undefined);

/** The pager of a catalog page, whose total may be a lower bound (see catalog-service). */
export function pagerFor(basePath: string, query: Record<string, unknown>, result: CatalogResult, noun = 'products'): Pager {
  return pager(basePath, query, { page: result.page, perPage: result.perPage, total: result.total, exact: result.exact, hasNext: result.hasNext, noun });
}

export type CategoryTreeNode = { id: number; name: string; slug: string; depth: number; ids: number[] };

/** Read by every catalog page; any write to a category drops it (on every instance). Read-only. */
const categoryTreeCache = readCache('shops.category-tree', [Category], () => loadCategoryTree());

/** The categories in display order, each with the ids a filter on it covers (itself and its descendants). */
export function categoryTree(): Promise<CategoryTreeNode[]> {
  return categoryTreeCache.get();
}

async function loadCategoryTree(): Promise<CategoryTreeNode[]> {
  const all = await Category.findAll({ order: [['position', 'ASC'], ['name', 'ASC']] });
  const children = new Map<number | null, Category[]>();
  for (const c of all) children.set(c.parent_id ?? null, [...(children.get(c.parent_id ?? null) ?? []), c]);
  const out: Array<{ id: number; name: string; slug: string; depth: number; ids: number[] }> = [];
  const descendants = (id: number, seen: Set<number>): number[] =>
    (children.get(id) ?? []).filter((c) => !seen.has(c.id)).flatMap((c) => [c.id, ...descendants(c.id, new Set([...seen, c.id]))]);
  const walk = (parent: number | null, depth: number, seen: Set<number>) => {
    for (const c of children.get(parent) ?? []) {
      if (seen.has(c.id)) continue;
      out.push({ id: c.id, name: c.name, slug: c.slug, depth, ids: [c.id, ...descendants(c.id, new Set([c.id]))] });
      walk(c.id, depth + 1, new Set([...seen, c.id]));
    }
  };
  walk(null, 0, new Set());
  return out;
}

/** The public pages: catalog, product page, shop list and shop page. */
export function catalogRoutes(ctx: PluginContext): void {
  const { router } = ctx;

  router.get('/products', async (req, res) => {
    const filters = catalogQuery.parse(req.query);
    const categories = await categoryTree();
    const category = filters.category ? categories.find((c) => c.slug === filters.category) : undefined;
    const page = pageFrom(req.query, CATALOG_PER_PAGE);
    let minPrice = priceFilter(filters.min);
    let maxPrice = priceFilter(filters.max);
    // A filter that makes no sense is left out of the search and said so beside it; the others still apply.
    const filterErrors: Record<string, string> = {};
    if (filters.category && !category) filterErrors.category = `There is no category “${filters.category}”; showing all categories.`;
    else if (typeof req.query.category === 'string' && req.query.category !== '' && !filters.category) filterErrors.category = 'That is not a category; showing all categories.';
    if (filters.min && minPrice === undefined) filterErrors.min = 'Enter a price such as 12.50.';
    if (filters.max && maxPrice === undefined) filterErrors.max = 'Enter a price such as 12.50.';
    if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice) {
      filterErrors.max = 'The max price is below the min price; showing prices from the min up.';
      maxPrice = undefined;
    }
    if (minPrice !== undefined && minPrice < 0) minPrice = undefined;
    // "size:m" (or several, comma-separated): products offering that attribute value (services/catalog-service.ts).
    const options = parseOptionFilter(req.query.option);
    const option = options.map((o) => `${o.attribute}:${o.value}`).join(',');
    const result = await searchProducts(
      { q: filters.q, categoryIds: category?.ids, minPrice, maxPrice, minRating: filters.rating ? Number(filters.rating) : undefined, sort: filters.sort, options },
      { page: page.page, perPage: page.perPage },
    );
    // What was typed stays in the fields (to be corrected); the pager's links carry only what applied.
    const values = { q: filters.q, category: category?.slug ?? '', min: filters.min ?? '', max: filters.max ?? '', rating: filters.rating ?? '', sort: result.sort, option };
    const applied = { ...values, min: minPrice === undefined ? '' : filters.min, max: maxPrice === undefined ? '' : filters.max };
    await res.renderPage('shops/catalog', {
      title: filters.q ? `Search: ${filters.q}` : category ? category.name : 'Products',
      result,
      cardActions: await cardActionsFor(ctx.hooks, { cards: result.items, viewer: req.user, back: req.originalUrl }),
      categories,
      category,
      values,
      filterErrors,
      optionChoices: await catalogOptions(),
      pager: pagerFor('/products', applied, result),
    });
  });

  router.get('/products/:slug', async (req, res) => {
    const slug = String(req.params.slug);
    const product = SLUG_PATTERN.test(slug) ? await productAt(slug) : null;
    if (!product) throw notFound('product');
    // A draft is visible only to the people who run its shop, as a preview.
    if (product.status !== 'published' && !(await ctx.capabilities.can(req.user, 'shops.shop.manage', product))) throw notFound('product');
    await renderProductPage(ctx, req, res, product);
  });

  router.get('/shops', async (req, res) => {
    const page = pageFrom(req.query, SHOPS_PER_PAGE);
    // A shop whose owner erased their account stays reachable by its address (orders link to it) but is not listed.
    const where = { owner_id: { [Op.ne]: null } };
    const [shops, total] = await Promise.all([
      Shop.findAll({ where, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: page.perPage, offset: page.offset }),
      Shop.count({ where }),
    ]);
    await res.renderPage('shops/shops', {
      title: 'Shops',
      shops,
      pager: pager('/shops', {}, { page: page.page, perPage: page.perPage, total, noun: 'shops' }),
    });
  });

  router.get('/shops/:slug', async (req, res) => {
    const slug = String(req.params.slug);
    const shop = SLUG_PATTERN.test(slug) ? await Shop.findOne({ where: { slug } }) : null;
    if (!shop) throw notFound('shop');
    const sort = z.enum(['newest', 'price_asc', 'price_desc']).catch('newest').parse(req.query.sort);
    const page = pageFrom(req.query, CATALOG_PER_PAGE);
    const [result, shipping] = await Promise.all([
      searchProducts({ shopId: shop.id, sort }, { page: page.page, perPage: page.perPage }),
      ShippingMethod.findAll({ where: { shop_id: shop.id }, order: [['position', 'ASC'], ['id', 'ASC']] }),
    ]);
    await res.renderPage('shops/shop', {
      title: shop.name,
      shop,
      result,
      cardActions: await cardActionsFor(ctx.hooks, { cards: result.items, viewer: req.user, back: req.originalUrl }),
      shipping,
      sort,
      policies: [
        { id: 'terms', title: 'Terms', html: paragraphs(shop.policy_terms) },
        { id: 'returns', title: 'Returns', html: paragraphs(shop.policy_returns) },
        { id: 'shipping', title: 'Shipping', html: paragraphs(shop.policy_shipping) },
      ].filter((p) => p.html),
      pager: pagerFor(`/shops/${shop.slug}`, { sort: sort === 'newest' ? '' : sort }, result),
    });
  });
}

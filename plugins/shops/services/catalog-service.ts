import { QueryTypes, type Sequelize } from 'sequelize';
import { leanRead, readCache, type LeanRead } from '@agora/core';
import { Product } from '../models/product';
import { ProductOption } from '../models/product-variant';

/**
 * The catalog queries, in one place so the benchmark (and a bare-Express baseline) can run the very same SQL.
 *
 * How each page stays cheap at 100,000 products:
 * - Every sort matches an index of migration 0001/0003: newest → (status, published_at, id) or
 *   (category_id|shop_id, status, published_at, id); price → (status, price, id) or (category_id, status, price, id).
 * - A page is found by a "deferred join": the inner query reads only ids and sort keys from the index
 *   (an index-only walk, also for deep OFFSETs), and only the page's rows are read and joined to their
 *   shop — one query per page, no per-row queries.
 * - Search uses the full-text index: FTS5 `products_fts` (SQLite) or the GIN index on `search_vector` (PostgreSQL).
 * - The total is counted only up to a window (COUNT over a LIMITed subquery): at least 1,000 and ten pages
 *   past the current one. Below the window the count is exact; above it the page says "1,000+" and the
 *   pager offers "next" while there is a next page. Counting every match on every page would walk the
 *   whole index each time.
 */

export const CATALOG_SORTS = ['newest', 'price_asc', 'price_desc', 'relevance', 'rating'] as const;
export type CatalogSort = (typeof CATALOG_SORTS)[number];

export interface CatalogFilters {
  /** Words to search for in title, tags and description. */
  q?: string;
  /** A category and its subcategories. */
  categoryIds?: number[];
  shopId?: number;
  /** Inclusive bounds in minor units. */
  minPrice?: number;
  maxPrice?: number;
  /** Only products whose average rating is at least this many stars (kept on the product by the reviews plugin). */
  minRating?: number;
  /** Defaults to relevance when searching, newest otherwise. */
  sort?: CatalogSort;
  /** Only products an enabled variant of which has each of these attribute values (lowercased: "size" / "m"). */
  options?: Array<{ attribute: string; value: string }>;
}

export interface CatalogPageRequest {
  page: number;
  perPage: number;
}

/** What a product card needs, read in the page's one query. */
export interface CatalogCard {
  id: number;
  title: string;
  slug: string;
  price: number;
  compare_at_price: number | null;
  currency: string;
  stock: number | null;
  image_path: string | null;
  published_at: Date;
  shop_id: number;
  shop_name: string;
  shop_slug: string;
  vacation_mode: boolean;
  /** Hundredths of a star (430 = 4.3) and the number of approved reviews; 0 and 0 without reviews. */
  rating_avg: number;
  rating_count: number;
  /** With variants whose prices differ (or differ from the product's): the lowest one can buy now ("from €X", the catalog price); null otherwise. */
  price_from?: number | null;
}

export interface CatalogResult {
  items: CatalogCard[];
  /** Matches counted, up to the window (see above). */
  total: number;
  /** False when there are more matches than `total` says. */
  exact: boolean;
  page: number;
  perPage: number;
  pages?: number;
  hasNext: boolean;
  sort: CatalogSort;
}

export type Dialect = 'sqlite' | 'postgres';

export interface BuiltQuery {
  sql: string;
  countSql: string;
  replacements: Record<string, unknown>;
  sort: CatalogSort;
  countLimit: number;
}

/**
 * The price a product sorts and filters by (`catalog_price`, kept by migration 0023's triggers): with variants,
 * the lowest one in stock; without, its own. The price indexes of 0001/0003 are on it since 0023.
 */
const PRICE_KEY = 'p.catalog_price';

const COUNT_FLOOR = 1000;
const COUNT_PAGES_AHEAD = 10;
const MAX_TERMS = 8;

/** The words of a search box, lowercased, letters and digits only: safe to place in an FTS or tsquery expression. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  const words = q.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((w) => w.slice(0, 40)))].slice(0, MAX_TERMS);
}

/** Every word must match; each is a prefix, so "cera" finds "ceramic" while typing. */
function ftsMatch(terms: string[]): string {
  return terms.map((t) => `"${t}"*`).join(' AND ');
}

function tsQuery(terms: string[]): string {
  return terms.map((t) => `${t}:*`).join(' & ');
}

/** Builds the page query and the windowed count query for a dialect; pure, so tests and the bench can inspect it. */
export function buildCatalogQuery(dialect: Dialect, filters: CatalogFilters, request: CatalogPageRequest): BuiltQuery {
  const terms = searchTerms(filters.q);
  const searching = terms.length > 0;
  let sort: CatalogSort = filters.sort ?? (searching ? 'relevance' : 'newest');
  if (sort === 'relevance' && !searching) sort = 'newest';

  const offset = (request.page - 1) * request.perPage;
  const countLimit = Math.max(COUNT_FLOOR, offset + request.perPage * COUNT_PAGES_AHEAD) + 1;
  const replacements: Record<string, unknown> = { limit: request.perPage, offset, countLimit };
  const where: string[] = ["p.status = 'published'"];
  let from = 'products p';
  let rank = '';

  if (searching) {
    if (dialect === 'postgres') {
      replacements.tsq = tsQuery(terms);
      where.push("p.search_vector @@ to_tsquery('english', :tsq)");
      rank = ", ts_rank(p.search_vector, to_tsquery('english', :tsq)) AS rank";
    } else {
      replacements.match = ftsMatch(terms);
      from = 'products_fts JOIN products p ON p.id = products_fts.rowid';
      where.push('products_fts MATCH :match');
      // Column weights in table order: title, tags_text, description. bm25 is lower for better matches.
      rank = ', bm25(products_fts, 10.0, 5.0, 1.0) AS rank';
    }
  }
  if (filters.categoryIds?.length === 1) {
    where.push('p.category_id = :categoryId');
    replacements.categoryId = filters.categoryIds[0];
  } else if (filters.categoryIds?.length) {
    where.push('p.category_id IN (:categoryIds)');
    replacements.categoryIds = filters.categoryIds;
  }
  if (filters.shopId !== undefined) {
    where.push('p.shop_id = :shopId');
    replacements.shopId = filters.shopId;
  }
  if (filters.minPrice !== undefined) {
    where.push(`${PRICE_KEY} >= :minPrice`);
    replacements.minPrice = filters.minPrice;
  }
  if (filters.maxPrice !== undefined) {
    where.push(`${PRICE_KEY} <= :maxPrice`);
    replacements.maxPrice = filters.maxPrice;
  }

  // Each value on the primary key (attribute, value, product_id) of product_options (migration 0007).
  for (const [i, o] of (filters.options ?? []).slice(0, 4).entries()) {
    where.push(`EXISTS (SELECT 1 FROM product_options o${i} WHERE o${i}.attribute = :optAttr${i} AND o${i}.value = :optValue${i} AND o${i}.product_id = p.id)`);
    replacements[`optAttr${i}`] = o.attribute;
    replacements[`optValue${i}`] = o.value;
  }

  if (filters.minRating !== undefined) {
    where.push('p.rating_avg >= :minRating AND p.rating_count > 0');
    replacements.minRating = Math.round(filters.minRating * 100);
  }

  const keys = sort === 'price_asc' || sort === 'price_desc' ? PRICE_KEY : sort === 'rating' ? 'p.rating_avg, p.rating_count' : 'p.published_at';
  const innerOrder = {
    newest: 'p.published_at DESC, p.id DESC',
    price_asc: `${PRICE_KEY} ASC, p.id ASC`,
    price_desc: `${PRICE_KEY} DESC, p.id DESC`,
    relevance: dialect === 'postgres' ? 'rank DESC, p.id DESC' : 'rank ASC, p.id DESC',
    // Index (status, rating_avg, rating_count, id) of migration 0006.
    rating: 'p.rating_avg DESC, p.rating_count DESC, p.id DESC',
  }[sort];
  const outerOrder = innerOrder.replace(/\bp\./g, 'page.').replace(/\brank\b/, 'page.rank');
  const whereSql = where.join(' AND ');

  const sql = `SELECT p.id, p.title, p.slug, p.price, p.compare_at_price, p.currency, p.stock, p.image_path, p.published_at,
  p.shop_id, s.name AS shop_name, s.slug AS shop_slug, s.vacation_mode, p.rating_avg, p.rating_count,
  CASE WHEN p.variant_count > 0 AND (p.price_from IS NOT NULL OR p.catalog_price <> p.price) THEN p.catalog_price END AS price_from
FROM (SELECT p.id, ${keys}${rank} FROM ${from} WHERE ${whereSql} ORDER BY ${innerOrder} LIMIT :limit OFFSET :offset) page
JOIN products p ON p.id = page.id
JOIN shops s ON s.id = p.shop_id
ORDER BY ${outerOrder}`;
  const countSql = `SELECT COUNT(*) AS n FROM (SELECT p.id FROM ${from} WHERE ${whereSql} LIMIT :countLimit) matches`;
  return { sql, countSql, replacements, sort, countLimit };
}

function dialectOf(sequelize: Sequelize): Dialect {
  return sequelize.getDialect() === 'postgres' ? 'postgres' : 'sqlite';
}

export interface SearchOptions {
  sequelize?: Sequelize;
  /** Skip the count when the caller shows no pager (the home page). */
  count?: boolean;
}

/**
 * The catalog's statements on core's lean read path (docs/performance.md), one per query shape (the filters
 * and sort in use, not their values), so each is prepared once. The shapes are few; the bound is a safeguard.
 */
const leanQueries = new Map<string, LeanRead<unknown>>();
function leanQueryOf<Row>(sql: string): LeanRead<Row> {
  let read = leanQueries.get(sql);
  if (!read) {
    if (leanQueries.size >= 500) leanQueries.clear();
    leanQueries.set(sql, (read = leanRead(sql)));
  }
  return read as LeanRead<Row>;
}

/** One page of published products matching the filters, with a windowed count. */
export async function searchProducts(filters: CatalogFilters, request: CatalogPageRequest, options: SearchOptions = {}): Promise<CatalogResult> {
  const sequelize = options.sequelize ?? Product.sequelize!;
  const built = buildCatalogQuery(dialectOf(sequelize), filters, request);
  const rows = await leanQueryOf<CatalogCard>(built.sql).all(sequelize, built.replacements);
  let counted = rows.length;
  if (options.count !== false) {
    const [{ n }] = await leanQueryOf<{ n: number | string }>(built.countSql).all(sequelize, built.replacements);
    counted = Number(n);
  }
  const exact = counted < built.countLimit;
  const offset = (request.page - 1) * request.perPage;
  const total = exact ? counted : built.countLimit - 1;
  return {
    items: rows.map((r) => ({
      ...r,
      vacation_mode: Boolean(r.vacation_mode),
      published_at: r.published_at instanceof Date ? r.published_at : new Date(r.published_at),
    })),
    total,
    exact,
    page: request.page,
    perPage: request.perPage,
    pages: exact ? Math.max(1, Math.ceil(total / request.perPage)) : undefined,
    hasNext: exact ? offset + request.perPage < total : rows.length === request.perPage,
    sort: built.sort,
  };
}

/** The newest published products (home page): the first page of the newest sort. */
export async function newestProducts(limit: number): Promise<CatalogCard[]> {
  return (await searchProducts({ sort: 'newest' }, { page: 1, perPage: limit }, { count: false })).items;
}

/** "size:m,colour:blue" (the catalog's `option` parameter) → the filters, lowercased; anything else is dropped. */
export function parseOptionFilter(raw: unknown): Array<{ attribute: string; value: string }> {
  if (typeof raw !== 'string' || raw.length > 300) return [];
  return raw
    .split(',')
    .map((pair) => pair.split(':'))
    .filter((parts) => parts.length === 2 && parts[0].trim() && parts[1].trim())
    .map(([attribute, value]) => ({ attribute: attribute.trim().toLowerCase().slice(0, 60), value: value.trim().toLowerCase().slice(0, 60) }))
    .slice(0, 4);
}

/**
 * The attribute values the live catalog offers (the filter's choices), at most 200. Read through core's read
 * cache, dropped by any write to the options or to products, so a catalog page still reads products twice.
 */
const catalogOptionsCache = readCache('shops.catalog-options', [ProductOption, Product], () => loadCatalogOptions());

export function catalogOptions(): Promise<Array<{ attribute: string; value: string; n: number }>> {
  return catalogOptionsCache.get();
}

async function loadCatalogOptions(limit = 200): Promise<Array<{ attribute: string; value: string; n: number }>> {
  const rows = await Product.sequelize!.query<{ attribute: string; value: string; n: number | string }>(
    `SELECT o.attribute, o.value, COUNT(*) AS n FROM product_options o JOIN products p ON p.id = o.product_id WHERE p.status = 'published'
     GROUP BY o.attribute, o.value ORDER BY o.attribute, o.value LIMIT :limit`,
    { replacements: { limit }, type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

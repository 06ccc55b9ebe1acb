export interface Page {
  page: number;
  perPage: number;
  offset: number;
}

/** The page asked for in the query (`?page=`), clamped to 1..maxPage, with its offset. */
export function pageFrom(query: unknown, perPage = 24, maxPage = 10_000): Page {
  const raw = typeof query === 'object' && query && 'page' in query ? Number((query as { page: unknown }).page) : 1;
  const page = Number.isInteger(raw) && raw >= 1 ? Math.min(raw, maxPage) : 1;
  return { page, perPage, offset: (page - 1) * perPage };
}

/** What the one pager template, `core/partials/pager`, shows: `<%- include('core/partials/pager', { pager }) %>`. */
export interface Pager {
  page: number;
  /** Known when the total is exact. */
  pages?: number;
  prev?: string;
  next?: string;
  /** The list's size for its heading: "1,234 products", "1,000+ products" when the count is a lower bound. */
  label: string;
}

export interface PagerInput {
  page: number;
  perPage: number;
  total: number;
  /** False when `total` is a lower bound (a count capped at a window); then `hasNext` says whether to go on. */
  exact?: boolean;
  hasNext?: boolean;
  /** The plural noun of the label ("products"); a total of exactly one takes it without its final "s". */
  noun?: string;
}

/** The address of page `page`, keeping the rest of the query string (empty values dropped, page 1 implied). */
export function pageUrl(basePath: string, query: Record<string, unknown>, page: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (k !== 'page' && typeof v === 'string' && v !== '') params.set(k, v);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `${basePath}?${qs}` : basePath;
}

/** The pager of a list: links to the neighbouring pages that keep the rest of the query string, and its label. */
export function pager(basePath: string, query: Record<string, unknown>, input: PagerInput): Pager {
  const { page, perPage, total, exact = true, noun = 'items' } = input;
  const pages = exact ? Math.max(1, Math.ceil(total / perPage)) : undefined;
  const hasNext = pages !== undefined ? page < pages : (input.hasNext ?? false);
  const link = (p: number) => pageUrl(basePath, query, p);
  const count = `${total.toLocaleString('en')}${exact ? '' : '+'}`;
  return {
    page,
    pages,
    prev: page > 1 ? link(page - 1) : undefined,
    next: hasNext ? link(page + 1) : undefined,
    label: `${count} ${total === 1 && exact ? noun.replace(/s$/, '') : noun}`,
  };
}

export interface Page {
  page: number;
  perPage: number;
  offset: number;
}

export function pageFrom(query: unknown, perPage = 24, maxPage = 10_000): Page {
  const raw = typeof query === 'object' && query && 'page' in query ? Number((query as { page: unknown }).page) : 1;
  const page = Number.isInteger(raw) && raw >= 1 ? Math.min(raw, maxPage) : 1;
  return { page, perPage, offset: (page - 1) * perPage };
}

export interface PageLinks {
  page: number;
  pages: number;
  prev?: string;
  next?: string;
}

/** The address of page `page`, keeping the rest of the query string (empty values dropped, page 1 implied). */
export function pageUrl(basePath: string, query: Record<string, unknown>, page: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (k !== 'page' && typeof v === 'string' && v !== '') params.set(k, v);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `${basePath}?${qs}` : basePath;
}

/** Links to the neighbouring pages that keep the rest of the query string. */
export function pageLinks(basePath: string, query: Record<string, unknown>, page: number, total: number, perPage: number): PageLinks {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const link = (p: number) => pageUrl(basePath, query, p);
  return { page, pages, prev: page > 1 ? link(page - 1) : undefined, next: page < pages ? link(page + 1) : undefined };
}

import express, { type RequestHandler, type Router } from 'express';

/** A path as Express takes it, in a form JSON keeps: a pattern string, or a regular expression's source and flags. */
type StoredPath = string | { regex: string; flags: string };

/** One page as kept in `plugin_states.pages`: enough to match its addresses again after a restart. */
export interface StoredPage {
  path: StoredPath | StoredPath[];
  /** A router mounted under a prefix (it owns everything below), not one route. */
  prefix: boolean;
}

/** One address (or prefix) a plugin's router answers, kept so its pages can say "temporarily unavailable" while it is off. */
export interface PluginPage {
  /** As the admin reads it: `/products/:slug`, or `/payments/…` for a router mounted under a prefix. */
  describe: string;
  matches(path: string): boolean;
  /** Its pattern, for plugin_states; absent when the path cannot be kept (a function, say). */
  stored?: StoredPage;
}

/**
 * The parts of Express 5's router (the `router` package) read here. They are not in Express's types, and
 * only read, never called in a way that changes a layer: the layers' own path matchers are pure functions.
 */
interface RouterLayer {
  route?: { path: unknown };
  rawPath?: unknown;
  slash?: boolean;
  matchers?: Array<(path: string) => unknown>;
  handle?: { stack?: RouterLayer[] };
}

/** The addresses a plugin's router serves: its routes, and the prefixes of routers mounted under one. */
export function pagesOf(router: Router): PluginPage[] {
  const pages: PluginPage[] = [];
  const walk = (stack: RouterLayer[] | undefined, depth: number): void => {
    if (!stack || depth > 8) return;
    for (const layer of stack) {
      const matchers = layer.matchers ?? [];
      const matches = (path: string) => matchers.some((m) => Boolean(m(path)));
      if (layer.route) {
        pages.push({ describe: describePath(layer.route.path), matches, stored: storedPage(layer.route.path, false) });
      } else if (layer.handle?.stack) {
        // A router mounted at / (router.use(sub)) adds its own routes; one under a prefix owns the prefix.
        if (layer.slash) walk(layer.handle.stack, depth + 1);
        else pages.push({ describe: 'a section of the site', matches, stored: storedPage(layer.rawPath, true) });
      }
    }
  };
  walk((router as unknown as { stack?: RouterLayer[] }).stack, 0);
  const seen = new Set<string>();
  return pages.filter((p) => (seen.has(p.describe) ? false : (seen.add(p.describe), true)));
}

function describePath(path: unknown): string {
  if (typeof path === 'string') return path;
  if (Array.isArray(path)) return path.map(describePath).join(', ');
  return String(path);
}

function storedPath(path: unknown): StoredPath | StoredPath[] | undefined {
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return { regex: path.source, flags: path.flags };
  if (Array.isArray(path)) {
    const paths = path.map(storedPath);
    return paths.every((p): p is StoredPath => p !== undefined && !Array.isArray(p)) ? paths : undefined;
  }
  return undefined;
}

function storedPage(path: unknown, prefix: boolean): StoredPage | undefined {
  const stored = storedPath(path);
  return stored === undefined ? undefined : { path: stored, prefix };
}

/** The patterns of the pages that can be kept, as JSON for plugin_states.pages. */
export function pagesToJson(pages: PluginPage[]): string {
  return JSON.stringify(pages.flatMap((p) => (p.stored ? [p.stored] : [])));
}

const expressPath = (p: StoredPath): string | RegExp => (typeof p === 'string' ? p : new RegExp(p.regex, p.flags));

/**
 * The pages kept in plugin_states.pages, matched again the way Express matched them: their patterns are
 * mounted on a router that is never served, and read back with pagesOf. Unreadable JSON gives no pages.
 */
export function pagesFromJson(json: string | null | undefined): PluginPage[] {
  let stored: StoredPage[];
  try {
    stored = json ? (JSON.parse(json) as StoredPage[]) : [];
  } catch {
    return [];
  }
  if (!Array.isArray(stored)) return [];
  const router = express.Router();
  const pass: RequestHandler = (_req, _res, next) => next();
  for (const page of stored) {
    try {
      const path = Array.isArray(page.path) ? page.path.map(expressPath) : expressPath(page.path);
      if (page.prefix) router.use(path, pass);
      else router.all(path, pass);
    } catch {
      // A pattern this Express no longer accepts: that one page answers 404.
    }
  }
  return pagesOf(router);
}

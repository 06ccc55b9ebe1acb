import type { Router } from 'express';

/** One address (or prefix) a plugin's router answers, kept so its pages can say "temporarily unavailable" while it is off. */
export interface PluginPage {
  /** As the admin reads it: `/products/:slug`, or `/payments/…` for a router mounted under a prefix. */
  describe: string;
  matches(path: string): boolean;
}

/**
 * The parts of Express 5's router (the `router` package) read here. They are not in Express's types, and
 * only read, never called in a way that changes a layer: the layers' own path matchers are pure functions.
 */
interface RouterLayer {
  route?: { path: unknown };
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
        pages.push({ describe: describePath(layer.route.path), matches });
      } else if (layer.handle?.stack) {
        // A router mounted at / (router.use(sub)) adds its own routes; one under a prefix owns the prefix.
        if (layer.slash) walk(layer.handle.stack, depth + 1);
        else pages.push({ describe: 'a section of the site', matches });
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

import type { RequestHandler, Router } from 'express';
import { temporarilyUnavailable } from '../http/errors';
import { pagesOf, type PluginPage } from './plugin-pages';

/**
 * The request gate: the routers of the active plugins, tried in a fixed order (by plugin name, never by
 * the order of activation). Swapping the list takes effect on the next request, without a restart.
 */
export class PluginGate {
  private routers: ReadonlyArray<{ name: string; router: Router }> = [];

  /** The pages of plugins that were active and are not now (deactivated, suspended): they answer 503, not 404. */
  private gone = new Map<string, PluginPage[]>();

  add(name: string, router: Router): void {
    this.gone.delete(name);
    this.routers = [...this.routers.filter((r) => r.name !== name), { name, router }].sort((a, b) => a.name.localeCompare(b.name));
  }

  remove(name: string): void {
    const entry = this.routers.find((r) => r.name === name);
    if (entry) this.gone.set(name, pagesOf(entry.router));
    this.routers = this.routers.filter((r) => r.name !== name);
  }

  /** The pages an active plugin serves now (kept in plugin_states, for a restart). */
  served(name: string): PluginPage[] {
    const entry = this.routers.find((r) => r.name === name);
    return entry ? pagesOf(entry.router) : [];
  }

  /** After a restart: the pages a plugin that is not active served before, read back from plugin_states. */
  restore(name: string, pages: PluginPage[]): void {
    if (this.routers.some((r) => r.name === name) || !pages.length) return;
    this.gone.set(name, pages);
  }

  /** An uninstalled plugin's pages are gone for good: 404 again. */
  forget(name: string): void {
    this.gone.delete(name);
  }

  /** The addresses a plugin serves (active) or served before it went (inactive), for the admin's confirmation. */
  pages(name: string): string[] {
    const entry = this.routers.find((r) => r.name === name);
    return (entry ? pagesOf(entry.router) : (this.gone.get(name) ?? [])).map((p) => p.describe);
  }

  handler(): RequestHandler {
    return (req, res, next) => {
      // A snapshot: a plugin (de)activated during this request does not shift the others.
      const routers = this.routers;
      let i = 0;
      const step = (error?: unknown): void => {
        if (error && error !== 'router') return next(error);
        const entry = routers[i++];
        if (!entry) return next(this.wasServed(req.path) ? temporarilyUnavailable() : undefined);
        entry.router(req, res, step);
      };
      step();
    };
  }

  private wasServed(path: string): boolean {
    for (const pages of this.gone.values()) if (pages.some((p) => p.matches(path))) return true;
    return false;
  }
}

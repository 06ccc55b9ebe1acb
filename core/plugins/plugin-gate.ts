import type { RequestHandler, Router } from 'express';

/**
 * The request gate: the routers of the active plugins, tried in a fixed order (by plugin name, never by
 * the order of activation). Swapping the list takes effect on the next request, without a restart.
 */
export class PluginGate {
  private routers: ReadonlyArray<{ name: string; router: Router }> = [];

  add(name: string, router: Router): void {
    this.routers = [...this.routers.filter((r) => r.name !== name), { name, router }].sort((a, b) => a.name.localeCompare(b.name));
  }

  remove(name: string): void {
    this.routers = this.routers.filter((r) => r.name !== name);
  }

  handler(): RequestHandler {
    return (req, res, next) => {
      // A snapshot: a plugin (de)activated during this request does not shift the others.
      const routers = this.routers;
      let i = 0;
      const step = (error?: unknown): void => {
        if (error && error !== 'router') return next(error);
        const entry = routers[i++];
        if (!entry) return next();
        entry.router(req, res, step);
      };
      step();
    };
  }
}

import type { RequestHandler } from 'express';
import type { Disposer } from '../hooks';
import type { HttpExtensions } from './http-extensions';
import type { MiddlewareStage } from './middleware-registry';

/** `ctx.http`: what a plugin adds to the request pipeline; all of it goes when the plugin is deactivated. */
export interface PluginHttp {
  /**
   * Requests whose path starts with `prefix` get no body parser (the route reads the raw body, e.g. with
   * `express.raw()`), no cookie session (none is loaded or created, no Set-Cookie) and no CSRF check. For
   * webhooks whose sender signs the body; the route must check that signature itself.
   */
  rawBody(prefix: string): Disposer;
  /** A middleware `early` (before core's and every plugin's routes) or `late` (after them, before the 404). */
  use(stage: MiddlewareStage, middleware: RequestHandler): Disposer;
}

export function pluginHttp(http: HttpExtensions, owner: string, track: (d: Disposer) => Disposer): PluginHttp {
  return {
    rawBody: (prefix) => track(http.rawBody.claim(owner, prefix)),
    use: (stage, middleware) => track(http.middleware.use(owner, stage, middleware)),
  };
}

import type { RequestHandler } from 'express';
import type { Disposer } from '../hooks';
import type { HttpExtensions } from './http-extensions';
import type { MiddlewareStage } from './middleware-registry';
import type { RateLimits } from './rate-limit';

/** A plugin's rate limit: at most `limit` requests per address within `windowMs` (a function reads a setting per request). */
export interface PluginRateLimit {
  windowMs: number;
  limit: number | (() => number);
  /** Count only refused requests (4xx/5xx), as the login limit does. */
  skipSuccessfulRequests?: boolean;
}

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
  /**
   * Core's rate limit (429 page; counted in Redis when REDIS_URL is set) for the plugin's contact-like
   * routes: `ctx.router.post('/x', ctx.http.rateLimit('signup', { windowMs, limit }), handler)`. Counts are
   * kept under `<plugin>.<name>`.
   */
  rateLimit(name: string, options: PluginRateLimit): RequestHandler;
  /**
   * An https origin a form's answer may redirect the browser to (CSP `form-action`), such as a payment
   * provider's hosted page after "Place order". Without it the browser blocks that redirect.
   */
  formTarget(origin: string): Disposer;
}

export function pluginHttp(http: HttpExtensions, owner: string, track: (d: Disposer) => Disposer, limits: RateLimits): PluginHttp {
  return {
    rateLimit: (name, options) => {
      const { limit } = options;
      return limits.create(`${owner}.${name}`, { windowMs: options.windowMs, limit: typeof limit === 'function' ? () => limit() : limit, skipSuccessfulRequests: options.skipSuccessfulRequests ?? false });
    },
    rawBody: (prefix) => track(http.rawBody.claim(owner, prefix)),
    use: (stage, middleware) => track(http.middleware.use(owner, stage, middleware)),
    formTarget: (origin) => track(http.formTargets.add(owner, origin)),
  };
}

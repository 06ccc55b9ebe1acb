import type { RequestHandler } from 'express';

/** A path prefix that may be claimed: `/payments/`, `/hooks/stripe`. Never `/` or a prefix of core's own pages. */
const PREFIX = /^\/[a-z0-9][a-z0-9._~/-]*$/i;
const CORE_PREFIXES = ['/admin', '/login', '/logout', '/register', '/account', '/healthz', '/assets', '/themes', '/uploads', '/plugins'];

/**
 * Path prefixes whose requests are read raw by their own route (provider webhooks, signed by their sender):
 * no body parser, no cookie session, no CSRF check. Plugins claim them with `ctx.http.rawBody(prefix)`.
 */
export class RawBodyPaths {
  private entries: ReadonlyArray<{ owner: string; prefix: string }> = [];

  claim(owner: string, prefix: string): () => void {
    if (!PREFIX.test(prefix)) throw new Error(`Plugin "${owner}": a raw-body prefix is a path such as "/payments/", not "${prefix}".`);
    const clash = CORE_PREFIXES.find((core) => core.startsWith(prefix.replace(/\/$/, '')) || prefix.startsWith(`${core}/`) || prefix === core);
    if (clash) throw new Error(`Plugin "${owner}": "${prefix}" would take the session and CSRF check away from core's ${clash} pages.`);
    const entry = { owner, prefix };
    this.entries = [...this.entries, entry];
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  /** True when the request path is under a claimed prefix. */
  matches(path: string): boolean {
    return this.entries.some((e) => path.startsWith(e.prefix));
  }

  list(): ReadonlyArray<{ owner: string; prefix: string }> {
    return this.entries;
  }

  /** Runs the handler for every request except the raw ones, which go straight on. */
  unless(handler: RequestHandler): RequestHandler {
    return (req, res, next) => (this.matches(req.path) ? next() : handler(req, res, next));
  }
}

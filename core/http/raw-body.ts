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

  /**
   * Prefixes are kept lower case and compared segment by segment, as Express routes (case-insensitive, `/a`
   * never covering `/ab`): otherwise `/Admin` would slip past the check of core's pages while Express still
   * routes it to the admin, and `/hello/webhook` would also strip `/hello/webhooks-anything`.
   */
  claim(owner: string, prefix: string): () => void {
    if (!PREFIX.test(prefix)) throw new Error(`Plugin "${owner}": a raw-body prefix is a path such as "/payments/", not "${prefix}".`);
    const lower = prefix.toLowerCase();
    const bare = trimSlash(lower);
    const clash = CORE_PREFIXES.find((core) => core.startsWith(bare) || lower.startsWith(`${core}/`) || lower === core);
    if (clash) throw new Error(`Plugin "${owner}": "${prefix}" would take the session and CSRF check away from core's ${clash} pages.`);
    // Another plugin's claim, above or below this one: one plugin could otherwise strip another's sessions.
    const taken = this.entries.find((e) => e.owner !== owner && overlaps(trimSlash(e.prefix), bare));
    if (taken) throw new Error(`Plugin "${owner}": "${prefix}" overlaps "${taken.prefix}", already claimed by ${taken.owner}.`);
    const entry = { owner, prefix: lower };
    this.entries = [...this.entries, entry];
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  /** True when the request path is a claimed prefix or under one (whole segments, any case). */
  matches(path: string): boolean {
    const lower = path.toLowerCase();
    return this.entries.some((e) => underPrefix(lower, trimSlash(e.prefix)));
  }

  list(): ReadonlyArray<{ owner: string; prefix: string }> {
    return this.entries;
  }

  /** Runs the handler for every request except the raw ones, which go straight on. */
  unless(handler: RequestHandler): RequestHandler {
    return (req, res, next) => (this.matches(req.path) ? next() : handler(req, res, next));
  }
}

function trimSlash(prefix: string): string {
  return prefix.replace(/\/+$/, '');
}

/** `path` is `prefix` itself or below it, on a segment boundary (both lower case, prefix without trailing slash). */
function underPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

function overlaps(a: string, b: string): boolean {
  return underPrefix(a, b) || underPrefix(b, a);
}

import type { Request, RequestHandler, Response } from 'express';
import { log } from '../log';
import type { Hooks } from '../hooks';
import type { AssetRegistry, ConsentCategory } from './assets';
import { SESSION_COOKIE } from './session';
import { CSRF_COOKIE } from './csrf';

declare module '../hooks' {
  interface FilterMap {
    /**
     * May this request set a cookie of this (non-necessary) category? Starts from whether the category is
     * among `core.consent.categories` (the visitor's recorded consent; only `necessary` without a consent
     * plugin). The gdpr plugin answers from its banner; any listener may refuse.
     */
    'core.consent.allows': [allowed: boolean, category: ConsentCategory, req: Request];
  }
}

/** Core's own cookies, strictly necessary and set by core itself: never asked about. */
export const CORE_COOKIES: ReadonlySet<string> = new Set([SESSION_COOKIE, CSRF_COOKIE]);

export interface CookieRefusal {
  name: string;
  reason: 'undeclared' | 'no-consent';
  category?: ConsentCategory;
  owner?: string;
}

const DECISIONS = Symbol('agora.cookieDecisions');
type Decided = Request & { [DECISIONS]?: Map<ConsentCategory, boolean> };

/**
 * Every Set-Cookie header goes through here (`res.cookie`, `res.append`, `res.setHeader`). A cookie is set when it is core's own, when it is being cleared, or
 * when a plugin declared it (`ctx.assets.cookie`) and its category is `necessary` or allowed by the
 * `core.consent.allows` filter for this request. An undeclared cookie is refused: a cookie nobody declared
 * cannot be listed on the cookie page, so it is not set at all. A refusal is logged once per cookie name.
 */
export class CookieGuard {
  private readonly logged = new Set<string>();
  private readonly refusals: CookieRefusal[] = [];

  constructor(
    private readonly assets: AssetRegistry,
    private readonly hooks: Hooks,
  ) {}

  /**
   * Guards every Set-Cookie header of the response: `res.cookie`, `res.append` and `res.set` all end in
   * `res.setHeader`, and so does express-session (core's own cookies pass by name). Mounted before anything
   * that may set a cookie.
   */
  wrap(): RequestHandler {
    return (req, res, next) => {
      const original = res.setHeader.bind(res);
      res.setHeader = ((name: string, value: number | string | readonly string[]) => {
        if (name.toLowerCase() !== 'set-cookie') return original(name, value);
        const kept = ([] as string[]).concat(typeof value === 'number' ? String(value) : value).filter((line) => this.permitsLine(req as Decided, line));
        if (!kept.length) {
          res.removeHeader(name);
          return res;
        }
        return original(name, kept);
      }) as Response['setHeader'];
      next();
    };
  }

  /**
   * Asks the consent filters once per request, for every category a declared cookie needs, so that the
   * synchronous `res.cookie` can answer. Mounted after session and passport (consent may live with the user).
   * Before it has run, a cookie that needs consent is refused.
   */
  decide(): RequestHandler {
    return async (req, _res, next) => {
      const categories = this.assets.consentCategories();
      if (!categories.length) return next();
      const consented = await this.hooks.apply('core.consent.categories', new Set<ConsentCategory>(['necessary']), req);
      const decisions = new Map<ConsentCategory, boolean>();
      for (const category of categories) decisions.set(category, (await this.hooks.apply('core.consent.allows', consented.has(category), category, req)) === true);
      (req as Decided)[DECISIONS] = decisions;
      next();
    };
  }

  /** Cookies refused since start, one entry per name (the first time), for the admin and the tests. */
  refused(): readonly CookieRefusal[] {
    return this.refusals;
  }

  /** One `Set-Cookie` line: `name=value; Path=/; Max-Age=0 ...`. */
  private permitsLine(req: Decided, line: string): boolean {
    const [pair, ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    const name = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    return this.permits(req, name, clearing(attributes));
  }

  private permits(req: Decided, name: string, clearsIt: boolean): boolean {
    if (CORE_COOKIES.has(name) || clearsIt) return true;
    const declared = this.assets.cookie(name);
    if (!declared) return this.refuse({ name, reason: 'undeclared' });
    if (declared.consent === 'necessary') return true;
    if (req[DECISIONS]?.get(declared.consent) === true) return true;
    return this.refuse({ name, reason: 'no-consent', category: declared.consent, owner: declared.owner });
  }

  private refuse(refusal: CookieRefusal): false {
    if (!this.logged.has(refusal.name)) {
      this.logged.add(refusal.name);
      this.refusals.push(refusal);
      log.warn(refusal, refusal.reason === 'undeclared' ? 'cookie refused: no plugin declared it (ctx.assets.cookie)' : 'cookie refused: no consent for its category');
    }
    return false;
  }
}

/** Removing a cookie (res.clearCookie, an expiry in the past, Max-Age=0) never needs consent. */
function clearing(attributes: readonly string[]): boolean {
  for (const attribute of attributes) {
    const eq = attribute.indexOf('=');
    if (eq < 0) continue;
    const key = attribute.slice(0, eq).trim().toLowerCase();
    const value = attribute.slice(eq + 1).trim();
    if (key === 'max-age' && /^-?\d+$/.test(value) && Number(value) <= 0) return true;
    if (key === 'expires') {
      const at = Date.parse(value);
      if (!Number.isNaN(at) && at <= Date.now()) return true;
    }
  }
  return false;
}

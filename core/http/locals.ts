import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import type { Platform } from '../platform';
import type { ConsentCategory } from './assets';
import { formatMoney } from './money';
import type { FlashMessage } from './express-types';

export interface NavItem {
  label: string;
  href: string;
  order?: number;
}

declare module '../hooks' {
  interface FilterMap {
    /** Links in the site header; plugins add theirs. */
    'core.nav.items': [items: NavItem[], context: { user?: Express.User; req?: Request }];
    /** Which consent categories the visitor agreed to; the gdpr plugin answers from its banner. */
    'core.consent.categories': [categories: Set<ConsentCategory>, req: Request];
  }
}

/** Everything templates may use, and `res.renderPage` / `res.flash`. */
export function localsMiddleware(platform: Platform, csrfToken: (req: Request, res: Response) => string): RequestHandler {
  const fingerprint = assetFingerprinter(platform);
  return (req, res, next) => {
    const user = req.user;
    // One token per response: each new one replaces the cookie, so a page with several forms (the layout's
    // logout, the cart's rows) would otherwise leave only its last form valid.
    let token: string | undefined;
    res.flash = (kind, text) => {
      if (req.session) req.session.flash = [...(req.session.flash ?? []), { kind, text }];
    };
    // express-session stores a changed session while the response is already going out, and a browser follows
    // a redirect as soon as it has the headers: the next page could load the session without the flash (or the
    // cart) just put in it. So a redirect waits for the session to be stored.
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    res.redirect = ((...args: unknown[]) => {
      // A session that holds nothing but its cookie is not stored at all: a guest's redirect makes no row.
      if (!req.session || Object.keys(req.session).every((key) => key === 'cookie')) return redirect(...args);
      req.session.save(() => redirect(...args));
    }) as Response['redirect'];
    Object.assign(res.locals, {
      user,
      currentPath: req.path,
      query: req.query,
      siteName: platform.options.get('site.name', 'Agora'),
      money: formatMoney,
      asset: fingerprint,
      csrfToken: () => (token ??= csrfToken(req, res)),
      userCan: (capability: string) => !!user && platform.capabilities.roleHas(user.role, capability),
      requestId: req.id,
    });
    res.renderPage = async (template, locals = {}, status = 200) => {
      // An error page (a browser's own /favicon.ico 404 among them) must not eat the message meant for the next real page.
      const showFlash = status < 400 || status === 422;
      const flash: FlashMessage[] = showFlash ? (req.session?.flash ?? []) : [];
      if (showFlash && req.session?.flash) delete req.session.flash;
      const navItems = (await platform.hooks.apply('core.nav.items', [], { user, req })).sort((a, b) => (a.order ?? 50) - (b.order ?? 50));
      const consent = await platform.hooks.apply('core.consent.categories', new Set<ConsentCategory>(['necessary']), req);
      const debugTemplates = req.query.debug === 'templates' && user?.role === 'admin';
      const html = await platform.renderer.render(
        template,
        { ...res.locals, flash, navItems, themeStyles: platform.themes.styles(), scripts: platform.assets.scriptsFor(template, consent), template, errors: {}, values: {}, ...locals },
        { debugTemplates },
      );
      res.status(status).type('html').send(html);
    };
    next();
  };
}

/** `/themes/storefront/site.css` → `/themes/storefront/site.css?v=<content hash>`, so assets can be cached for a year. */
function assetFingerprinter(platform: Platform): (url: string) => string {
  const cache = new Map<string, string>();
  return (url) => {
    const hit = cache.get(url);
    if (hit) return hit;
    const file = fileFor(platform, url);
    let out = url;
    if (file) {
      try {
        out = `${url}?v=${crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 12)}`;
      } catch {
        out = url;
      }
    }
    cache.set(url, out);
    return out;
  };
}

function fileFor(platform: Platform, url: string): string | undefined {
  const theme = /^\/themes\/([a-z0-9-]+)\/(.+)$/.exec(url);
  if (theme) {
    const dir = platform.themes.publicDir(theme[1]);
    return dir ? path.join(dir, theme[2]) : undefined;
  }
  const plugin = /^\/plugins\/([a-z0-9-]+)\/(.+)$/.exec(url);
  if (plugin) {
    const record = platform.plugins.get(plugin[1]);
    return record ? path.join(record.dir, 'public', plugin[2]) : undefined;
  }
  if (url.startsWith('/assets/')) return path.join(platform.config.rootDir, 'public', url.slice('/assets/'.length));
  return undefined;
}

import type { Request, RequestHandler } from 'express';
import { SESSION_COOKIE } from './session';

/** Areas whose every page belongs to one person, session or not (a guest's checkout and its order links). */
const PRIVATE_PREFIXES = ['/account', '/checkout', '/cart', '/seller', '/admin'];
/** Query parameters that carry a signed link's secret (a guest's order link, a password reset, an unsubscribe). */
const SIGNED_PARAMS = ['key', 'token', 'signature', 'sig'];

/**
 * One rule for every page rendered for a person: `Cache-Control: no-store`, so neither a shared cache nor the
 * browser's back button hands it to someone else. A page is private when the request carries a session (a
 * logged-in user, a guest's cart) or a signed link, or lies in an area that is private by nature. Routes that
 * decide their own caching (private files) set the header themselves and win, since they set it later.
 */
export function privatePages(): RequestHandler {
  return (req, res, next) => {
    if (isPrivate(req)) res.setHeader('Cache-Control', 'no-store');
    next();
  };
}

function isPrivate(req: Request): boolean {
  if (req.user || req.cookies?.[SESSION_COOKIE]) return true;
  if (PRIVATE_PREFIXES.some((prefix) => req.path === prefix || req.path.startsWith(prefix + '/'))) return true;
  return SIGNED_PARAMS.some((name) => req.query[name] !== undefined);
}

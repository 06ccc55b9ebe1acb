import type { RequestHandler } from 'express';
import type { Capabilities } from '../auth/capabilities';
import { forbidden } from './errors';

/** Sends a guest to the login page and back here afterwards. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.method === 'GET') return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
  next(forbidden());
};

/** The capability check for routes that act on no particular object (object checks call `can` with it). */
export function requireCapability(capabilities: Pick<Capabilities, 'can'>, capability: string): RequestHandler {
  return (req, res, next) => {
    if (!req.user) return requireUser(req, res, next);
    capabilities
      .can(req.user, capability)
      .then((ok) => next(ok ? undefined : forbidden()))
      .catch(next);
  };
}

import type { RequestHandler } from 'express';
import { forbidden, requireUser, type PluginContext } from '@agora/core';

export const MANAGE = 'gdpr.manage';

/** The admin pages of the plugin: logged in, with `gdpr.manage`. */
export function adminGuard(ctx: PluginContext): RequestHandler[] {
  const may: RequestHandler = (req, _res, next) => {
    ctx.capabilities
      .can(req.user, MANAGE)
      .then((ok) => next(ok ? undefined : forbidden()))
      .catch(next);
  };
  return [requireUser, may];
}

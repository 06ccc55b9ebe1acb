import type { RequestHandler } from 'express';
import { forbidden, requireUser, type PluginContext } from '@agora/core';

/** The privacy admin pages: signed in, with the capability. */
export function adminGuard(ctx: PluginContext, capability: string): RequestHandler[] {
  const may: RequestHandler = (req, _res, next) => {
    ctx.capabilities
      .can(req.user, capability)
      .then((ok) => next(ok ? undefined : forbidden()))
      .catch(next);
  };
  return [requireUser, may];
}

export function idOf(raw: unknown): number | undefined {
  return typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : undefined;
}

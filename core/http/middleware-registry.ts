import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { log } from '../log';
import { HttpError } from './errors';

/**
 * Where a plugin middleware runs. `early`: after session, passport, CSRF and locals, before core's routes
 * and every plugin's routes (a consent gate, cookie enforcement). `late`: after every route, before the 404.
 */
export type MiddlewareStage = 'early' | 'late';

interface Entry {
  owner: string;
  handler: RequestHandler;
}

/**
 * Plugin middleware by stage. The app mounts one runner per stage once; what runs is read per request, so a
 * plugin's middleware comes and goes with the plugin, without a restart.
 */
export class MiddlewareRegistry {
  // Replaced, never mutated: a request walks the list it started with even if a plugin is deactivated meanwhile.
  private readonly stages: Record<MiddlewareStage, readonly Entry[]> = { early: [], late: [] };

  use(owner: string, stage: MiddlewareStage, handler: RequestHandler): () => void {
    if (stage !== 'early' && stage !== 'late') throw new Error(`Plugin "${owner}": middleware stage is 'early' or 'late', not "${String(stage)}".`);
    const entry: Entry = { owner, handler };
    this.stages[stage] = [...this.stages[stage], entry];
    return () => {
      this.stages[stage] = this.stages[stage].filter((e) => e !== entry);
    };
  }

  list(stage: MiddlewareStage): ReadonlyArray<{ owner: string }> {
    return this.stages[stage];
  }

  /**
   * The one Express middleware of a stage. A plugin middleware that throws (or rejects) is logged with its
   * plugin and the error goes to the error page; the site does not crash and the request is not left hanging.
   */
  runner(stage: MiddlewareStage): RequestHandler {
    return (req, res, next) => {
      const entries = this.stages[stage];
      let i = 0;
      const step = (error?: unknown): void => {
        if (error === 'router') return next();
        if (error !== undefined && error !== null && error !== 'route') return next(error);
        const entry = entries[i++];
        if (!entry) return next();
        run(entry, stage, req, res, once(step));
      };
      step();
    };
  }
}

function run(entry: Entry, stage: MiddlewareStage, req: Request, res: Response, next: NextFunction): void {
  const fail = (error: unknown) => {
    if (!(error instanceof HttpError)) (req.log ?? log).error({ plugin: entry.owner, stage, err: error }, 'plugin middleware failed');
    next(error);
  };
  try {
    const result: unknown = entry.handler(req, res, next);
    if (result instanceof Promise) result.catch(fail);
  } catch (error) {
    fail(error);
  }
}

/** A middleware that both calls next() and then throws must not run the rest of the chain twice. */
function once(fn: (error?: unknown) => void): NextFunction {
  let called = false;
  return ((error?: unknown) => {
    if (called) return;
    called = true;
    fn(error);
  }) as NextFunction;
}

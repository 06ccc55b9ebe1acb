import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { log } from '../log';
import type { HookFailure } from '../hooks';
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
  private readonly failures = new Map<string, number[]>();
  private readonly suspendHandlers: Array<(failure: HookFailure) => void> = [];

  constructor(
    /** Failures of one plugin's middleware within the window that suspend it, as for hook listeners. */
    private readonly failureLimit = 5,
    private readonly failureWindowMs = 60_000,
  ) {}

  /**
   * Called when a plugin's middleware has failed too often: an early middleware that throws fails every page
   * of the site, so the plugin is suspended (the plugin manager listens) and the site serves again.
   */
  onSuspend(handler: (failure: HookFailure) => void): void {
    this.suspendHandlers.push(handler);
  }

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
        run(entry, stage, req, res, once(step), (error) => this.recordFailure(entry.owner, stage, error));
      };
      step();
    };
  }

  private recordFailure(owner: string, stage: MiddlewareStage, error: unknown): void {
    if (owner === 'core') return;
    const now = Date.now();
    const times = (this.failures.get(owner) ?? []).filter((t) => now - t < this.failureWindowMs);
    times.push(now);
    this.failures.set(owner, times);
    if (times.length < this.failureLimit) return;
    this.failures.delete(owner);
    const failure: HookFailure = { owner, hook: `http.${stage}`, error: error instanceof Error ? error.message : String(error), at: new Date() };
    for (const handler of this.suspendHandlers) handler(failure);
  }
}

function run(entry: Entry, stage: MiddlewareStage, req: Request, res: Response, next: NextFunction, failed: (error: unknown) => void): void {
  const fail = (error: unknown) => {
    // An HttpError (a 403 from a gate, a 404) is an answer, not a failure of the plugin.
    if (!(error instanceof HttpError)) {
      (req.log ?? log).error({ plugin: entry.owner, stage, err: error }, 'plugin middleware failed');
      failed(error);
    }
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

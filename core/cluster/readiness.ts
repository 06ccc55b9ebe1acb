import type { RequestHandler } from 'express';
import type { Platform } from '../platform';

const CHECK_TIMEOUT_MS = 2000;

/** Resolves with the check's answer, or false when it takes longer than the load balancer would wait. */
async function within(check: () => Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([check().catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/readyz`, for the load balancer: 200 when this instance can serve (the database answers and, with REDIS_URL,
 * Redis does), 503 otherwise so traffic goes to the other instances. `/healthz` stays the liveness check.
 */
export function readiness(platform: Platform): RequestHandler {
  return async (_req, res) => {
    const [database, redis] = await Promise.all([
      within(async () => {
        await platform.sequelize.query('SELECT 1');
        return true;
      }),
      platform.bus.kind === 'redis' ? within(() => platform.bus.ping()) : Promise.resolve(undefined),
    ]);
    const ready = database && redis !== false;
    res.set('Cache-Control', 'no-store');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      database: database ? 'up' : 'down',
      ...(redis === undefined ? {} : { redis: redis ? 'up' : 'down' }),
      bus: platform.bus.kind,
      jobs: platform.jobs.kind,
    });
  };
}

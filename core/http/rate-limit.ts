import { rateLimit, type Options, type RateLimitRequestHandler } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { Redis } from 'ioredis';

let redis: Redis | undefined;

/**
 * A rate limit (express-rate-limit), counted in Redis when `REDIS_URL` is set so that every instance
 * shares the count; the refusal is a 429 rendered as a page.
 */
export function createRateLimit(name: string, options: Partial<Options> & { redisUrl?: string }): RateLimitRequestHandler {
  const { redisUrl, ...rest } = options;
  if (redisUrl && !redis) redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  return rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: 10,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: redis
      ? new RedisStore({ prefix: `agora:rl:${name}:`, sendCommand: (command: string, ...args: string[]) => redis!.call(command, ...args) as Promise<RedisReply> })
      : undefined,
    handler: (req, res) => {
      const minutes = Math.ceil((rest.windowMs ?? 15 * 60 * 1000) / 60_000);
      const message = `Too many attempts from your address. Please wait ${minutes} minutes and try again.`;
      res.status(429);
      if (!res.renderPage) return void res.type('text/plain').send(message);
      res.renderPage('core/error', { title: 'Too many attempts', status: 429, message, requestId: req.id }, 429).catch(() => {
        if (!res.headersSent) res.type('text/plain').send(message);
      });
    },
    ...rest,
  });
}

export function closeRateLimitStore(): void {
  redis?.disconnect();
  redis = undefined;
}

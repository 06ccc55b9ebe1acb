import { rateLimit, type Options, type RateLimitRequestHandler } from 'express-rate-limit';
import type { RedisReply } from 'rate-limit-redis';
import type { Redis } from 'ioredis';
import { redisModules } from '../cluster/redis-modules';

/**
 * The rate limits of one platform (express-rate-limit), counted in Redis when `REDIS_URL` is set so that
 * every instance shares the count; the refusal is a 429 rendered as a page. The Redis connection belongs
 * to the platform (closed by stopPlatform): it was a module-level one that a second app shared and closed.
 */
export class RateLimits {
  private redis: Redis | undefined;

  constructor(
    private readonly redisUrl: string | undefined,
    /** The store's Redis key prefix (REDIS_PREFIX): two stores on one Redis count apart. */
    readonly keyPrefix = 'agora:',
  ) {}

  create(name: string, options: Partial<Options>): RateLimitRequestHandler {
    const redis = this.connection();
    return rateLimit({
      windowMs: 15 * 60 * 1000,
      limit: 10,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      store: redis ? new (redisModules.rateLimitRedis().RedisStore)({ prefix: `${this.keyPrefix}rl:${name}:`, sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply> }) : undefined,
      handler: (req, res) => {
        const minutes = Math.ceil((options.windowMs ?? 15 * 60 * 1000) / 60_000);
        const message = `Too many attempts from your address. Please wait ${minutes} minutes and try again.`;
        res.status(429);
        if (!res.renderPage) return void res.type('text/plain').send(message);
        res.renderPage('core/error', { title: 'Too many attempts', status: 429, message, requestId: req.id }, 429).catch(() => {
          if (!res.headersSent) res.type('text/plain').send(message);
        });
      },
      ...options,
    });
  }

  /** The platform's Redis connection when REDIS_URL is set, for counts that are not express-rate-limit's (the login throttle). */
  redisConnection(): Redis | undefined {
    return this.connection();
  }

  close(): void {
    this.redis?.disconnect();
    this.redis = undefined;
  }

  private connection(): Redis | undefined {
    if (this.redisUrl && !this.redis) this.redis = new (redisModules.ioredis().Redis)(this.redisUrl, { maxRetriesPerRequest: 2 });
    return this.redis;
  }
}

import { createRequire } from 'node:module';
import type * as IORedis from 'ioredis';
import type * as ConnectRedis from 'connect-redis';
import type * as RateLimitRedis from 'rate-limit-redis';

const require = createRequire(import.meta.url);

/**
 * The Redis client and the Redis stores, loaded on first use: only a store with REDIS_URL uses them, and one
 * without does not carry them in memory (ioredis alone is about 6 MB resident). Each ships a CommonJS build,
 * so they load synchronously, where the session and rate-limit stores are made.
 */
export const redisModules = {
  ioredis: (): typeof IORedis => require('ioredis') as typeof IORedis,
  connectRedis: (): typeof ConnectRedis => require('connect-redis') as typeof ConnectRedis,
  rateLimitRedis: (): typeof RateLimitRedis => require('rate-limit-redis') as typeof RateLimitRedis,
};

import type { Redis } from 'ioredis';

/**
 * The per-account half of the login limit (the per-address half is an express-rate-limit in limits.ts).
 * OWASP's advice, not a lock: the first few failures cost nothing, then each further one makes the next
 * attempt on that account wait longer (5 s, 10 s, 20 s … at most `maxDelayMs`), and the count is forgotten
 * after `forgetMs` without a failure or at a successful login or password reset. A stranger guessing at an
 * account slows guessing to one try a minute, but can never keep its owner out for longer than a minute.
 */
export interface ThrottleOptions {
  /** Failures allowed before any wait. */
  freeFailures: number;
  /** The wait after the last free failure; each further failure doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
  forgetMs: number;
}

export const LOGIN_THROTTLE: ThrottleOptions = { freeFailures: 5, firstDelayMs: 5000, maxDelayMs: 60_000, forgetMs: 15 * 60_000 };

interface FailureRecord {
  failures: number;
  /** When the last failure happened (ms since the epoch). */
  last: number;
}

/** How long after the last failure the next attempt must wait, given how many there were. */
export function delayAfter(failures: number, options: ThrottleOptions = LOGIN_THROTTLE): number {
  if (failures < options.freeFailures) return 0;
  return Math.min(options.firstDelayMs * 2 ** (failures - options.freeFailures), options.maxDelayMs);
}

interface FailureStore {
  read(key: string): Promise<FailureRecord | undefined>;
  fail(key: string, now: number): Promise<void>;
  clear(key: string): Promise<void>;
}

/** One instance's count (the default, as express-rate-limit's memory store is). */
class MemoryFailures implements FailureStore {
  private readonly records = new Map<string, FailureRecord>();
  constructor(private readonly forgetMs: number) {}

  async read(key: string): Promise<FailureRecord | undefined> {
    const record = this.records.get(key);
    if (record && record.last + this.forgetMs < Date.now()) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  async fail(key: string, now: number): Promise<void> {
    const record = await this.read(key);
    this.records.set(key, { failures: (record?.failures ?? 0) + 1, last: now });
    // Forgotten records would otherwise pile up for every name ever typed.
    if (this.records.size > 50_000) for (const [k, r] of this.records) if (r.last + this.forgetMs < now) this.records.delete(k);
  }

  async clear(key: string): Promise<void> {
    this.records.delete(key);
  }
}

/** Shared by every instance when REDIS_URL is set: a hash per account that expires on its own. */
class RedisFailures implements FailureStore {
  constructor(
    private readonly redis: Redis,
    private readonly forgetMs: number,
    private readonly prefix: string,
  ) {}

  private name = (key: string) => `${this.prefix}login-throttle:${key}`;

  async read(key: string): Promise<FailureRecord | undefined> {
    const record = await this.redis.hgetall(this.name(key));
    if (!record.failures) return undefined;
    return { failures: Number(record.failures), last: Number(record.last) };
  }

  async fail(key: string, now: number): Promise<void> {
    await this.redis.multi().hincrby(this.name(key), 'failures', 1).hset(this.name(key), 'last', String(now)).pexpire(this.name(key), this.forgetMs).exec();
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(this.name(key));
  }
}

export class LoginThrottle {
  private readonly store: FailureStore;

  constructor(
    redis: Redis | undefined,
    private readonly options: ThrottleOptions = LOGIN_THROTTLE,
    /** The store's Redis key prefix (REDIS_PREFIX). */
    redisPrefix = 'agora:',
  ) {
    this.store = redis ? new RedisFailures(redis, options.forgetMs, redisPrefix) : new MemoryFailures(options.forgetMs);
  }

  /** Milliseconds the next attempt on this account must still wait (0: it may try now). */
  async wait(key: string, now = Date.now()): Promise<number> {
    const record = await this.store.read(key);
    if (!record) return 0;
    return Math.max(0, record.last + delayAfter(record.failures, this.options) - now);
  }

  failed(key: string, now = Date.now()): Promise<void> {
    return this.store.fail(key, now);
  }

  succeeded(key: string): Promise<void> {
    return this.store.clear(key);
  }
}

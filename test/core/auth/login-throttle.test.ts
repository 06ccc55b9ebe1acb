import { expect } from 'chai';
import { Redis } from 'ioredis';
import { LoginThrottle } from '../../../core/auth/login-throttle';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The per-account login throttle on each of its stores: a count every instance shares in Redis. */
describe('login throttle', () => {
  for (const kind of ['memory', 'redis'] as const) {
    describe(kind, () => {
      let redis: Redis | undefined;
      before(() => {
        if (kind === 'redis') redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
      });
      after(() => redis?.disconnect());

      it('waits after the free failures, doubles the wait, and forgets on success', async () => {
        const options = { freeFailures: 2, firstDelayMs: 1000, maxDelayMs: 10_000, forgetMs: 60_000 };
        const throttle = new LoginThrottle(redis, options);
        const other = new LoginThrottle(redis, options);
        const key = `test:${kind}:${process.pid}:${Date.now()}`;
        const now = Date.now();
        await throttle.failed(key, now);
        expect(await throttle.wait(key, now)).to.equal(0);
        await throttle.failed(key, now);
        expect(await throttle.wait(key, now)).to.equal(1000);
        expect(await throttle.wait(key, now + 400)).to.equal(600);
        await throttle.failed(key, now + 1000);
        expect(await throttle.wait(key, now + 1000)).to.equal(2000);
        // A second instance sees the same count only through Redis.
        expect(await other.wait(key, now + 1000)).to.equal(kind === 'redis' ? 2000 : 0);
        await throttle.succeeded(key);
        expect(await throttle.wait(key, now + 1000)).to.equal(0);
      });

      it('forgets failures after a quiet while', async () => {
        const throttle = new LoginThrottle(redis, { freeFailures: 1, firstDelayMs: 1000, maxDelayMs: 10_000, forgetMs: 150 });
        const key = `test:${kind}:forget:${process.pid}:${Date.now()}`;
        await throttle.failed(key);
        expect(await throttle.wait(key)).to.be.greaterThan(0);
        await new Promise((r) => setTimeout(r, 250));
        expect(await throttle.wait(key)).to.equal(0);
      });
    });
  }
});

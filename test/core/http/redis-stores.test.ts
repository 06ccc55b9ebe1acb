import crypto from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, csrfFrom, type TestApp } from '../../helpers/app';

const REDIS_URL = process.env.TEST_REDIS_AUTH_URL ?? 'redis://127.0.0.1:6379/6';

/** With REDIS_URL, sessions and rate-limit counts live in Redis, so every instance of the app shares them. */
describe('sessions and rate limits on Redis', () => {
  let t: TestApp;
  let redis: Redis;
  // An address of this run's own (TRUST_PROXY=1 reads X-Forwarded-For), so counts left by other runs do not matter.
  const ip = `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

  before(async function () {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      await redis.ping();
    } catch {
      redis.disconnect();
      this.skip();
    }
    t = await startTestApp({ plugins: [], env: { REDIS_URL, TRUST_PROXY: '1' } });
  });
  after(async () => {
    if (!t) return;
    for (const key of await redis.keys(`${t.config.REDIS_PREFIX}rl:*${ip}*`)) await redis.del(key);
    await t.close();
    redis.disconnect();
  });

  const post = async (agent: ReturnType<TestApp['agent']>, fields: Record<string, string>) => {
    const page = await agent.get('/login').set('X-Forwarded-For', ip);
    return agent.post('/login').set('X-Forwarded-For', ip).type('form').send({ _csrf: csrfFrom(page.text), ...fields });
  };

  it('keeps the session in Redis, not in the database', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    const res = await post(agent, { login: user.email, password });
    expect(res.status).to.equal(303);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('agora.sid='))!;
    const sid = decodeURIComponent(cookie.split(';')[0].split('=')[1]).slice(2).split('.')[0];
    const stored = await redis.get(`${t.config.REDIS_PREFIX}sess:${sid}`);
    expect(JSON.parse(stored!).passport.user.id).to.equal(user.id);
    const rows = await t.platform.sequelize.query('SELECT sid FROM sessions', { type: QueryTypes.SELECT });
    expect(rows).to.have.length(0);
    expect((await agent.get('/account')).status).to.equal(200);
    await redis.del(`${t.config.REDIS_PREFIX}sess:${sid}`);
  });

  it('counts failed logins in Redis, per account (a wait after 5) and per address (the 101st refused)', async function () {
    this.timeout(60_000);
    const { user } = await createUser();
    // Ids repeat across test databases that share this Redis: a count left by an earlier run must not count.
    await redis.del(`${t.config.REDIS_PREFIX}login-throttle:user:${user.id}`);
    for (let i = 1; i <= 5; i++) expect((await post(t.agent(), { login: user.email, password: `wrong-${i}` })).status).to.equal(401);
    expect(await redis.hget(`${t.config.REDIS_PREFIX}login-throttle:user:${user.id}`, 'failures')).to.equal('5');
    const waiting = await post(t.agent(), { login: user.username, password: 'wrong-6' });
    expect(waiting.status).to.equal(429);
    expect(waiting.text).to.contain('Too many failed attempts for this account');
    expect(await redis.keys(`${t.config.REDIS_PREFIX}rl:login:*${ip}*`)).to.have.length(1);
    // Six refusals so far; 94 more (without a password: no hashing) make 100 from this address.
    for (let i = 1; i <= 94; i++) expect((await post(t.agent(), { login: `nobody-${i}@example.test`, password: '' })).status).to.equal(422);
    const refused = await post(t.agent(), { login: 'nobody@example.test', password: 'wrong' });
    expect(refused.status).to.equal(429);
    expect(refused.text).to.contain('Too many attempts from your address');
    await redis.del(`${t.config.REDIS_PREFIX}login-throttle:user:${user.id}`);
  });
});

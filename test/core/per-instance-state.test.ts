import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import { startTestApp, createUser, login, loginAsAdmin, tokenFor, type TestApp } from '../helpers/app';
import { RateLimits } from '../../core/http/rate-limit';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * State that belongs to one platform (role changes' hooks, passport, rate-limit connections) must not be
 * shared by two apps in one process: here two instances of one site, on one database.
 */
describe('per-platform state: two apps in one process', function () {
  this.timeout(60_000);
  let first: TestApp;
  let second: TestApp;

  before(async () => {
    first = await startTestApp({ plugins: [] });
    // Built last: a module-level binding would now point at this one.
    second = await startTestApp({ plugins: [], reuse: { dataDir: first.dataDir, db: first.db } });
  });
  after(async () => {
    await second.stop();
    await first.close();
  });

  it("fires a role change's hooks on the platform whose admin changed it, not on the app built last", async () => {
    const heard: Array<[string, number, string]> = [];
    first.platform.hooks.on('test', 'core.user.role.changed', (userId, _from, to) => void heard.push(['first', userId, to]));
    second.platform.hooks.on('test', 'core.user.role.changed', (userId, _from, to) => void heard.push(['second', userId, to]));
    const { user } = await createUser();
    const admin = first.agent();
    await loginAsAdmin(admin);
    const token = await tokenFor(admin, '/admin/users');
    await admin.post(`/admin/users/${user.id}/role`).type('form').send({ _csrf: token, role: 'moderator' }).expect(303);
    expect(heard).to.deep.equal([['first', user.id, 'moderator']]);
  });

  it('gives each app its own passport, and both log people in', async () => {
    expect(first.platform.passport).not.to.equal(second.platform.passport);
    const { user, password } = await createUser();
    for (const app of [first, second]) {
      const agent = app.agent();
      await login(agent, user.username, password);
      expect((await agent.get('/account')).status).to.equal(200);
    }
  });

  it("keeps each platform's rate-limit connection: closing one app's leaves the other's counting", async () => {
    const a = new RateLimits(REDIS_URL);
    const b = new RateLimits(REDIS_URL);
    const name = `per-instance-${process.pid}-${Date.now()}`;
    const appOf = (limits: RateLimits) => express().get('/try', limits.create(name, { windowMs: 60_000, limit: 3 }), (_req, res) => void res.send('ok'));
    const app = appOf(a);
    // Instances of one site share the count in Redis; the other one counts once, then stops.
    await supertest(appOf(b)).get('/try').expect(200);
    b.close();
    try {
      const agent = supertest(app);
      await agent.get('/try').expect(200);
      await agent.get('/try').expect(200);
      const refused = await agent.get('/try');
      expect(refused.status).to.equal(429);
      expect(refused.text).to.contain('Too many attempts');
    } finally {
      a.close();
    }
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { QueryTypes } from 'sequelize';
import superagent from 'superagent';
import supertest from 'supertest';
import { ADMIN, csrfFrom, startTestApp, type TestApp } from '../../helpers/app';
import { usePostgres } from '../../helpers/database';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

declare module '@agora/core' {
  interface JobMap {
    'test.cluster.once': { n: number };
    'test.cluster.tick': Record<string, never>;
  }
}

/** Polls `check` until it holds; returns the milliseconds it took, or fails at the deadline. */
async function within(deadlineMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > deadlineMs) throw new Error(`not within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function listen(t: TestApp): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(t.app);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

/**
 * Two instances of one store, each on its own port, on one PostgreSQL database and one Redis (REDIS_URL, the
 * store's own key prefix): what one does, the other sees.
 */
describe('two instances on PostgreSQL and Redis', function () {
  this.timeout(120_000);
  let a: TestApp;
  let b: TestApp;
  let urlA: string;
  let urlB: string;
  const servers: http.Server[] = [];
  /** A browser's cookie jar: cookies are the host's, whichever instance (port) answers. */
  const browser = superagent.agent();

  before(async function () {
    if (!usePostgres) return this.skip(); // several instances need PostgreSQL: run with DB=postgres
    const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await probe.connect();
    } catch {
      return this.skip(); // no Redis at REDIS_URL
    } finally {
      probe.disconnect();
    }
    a = await startTestApp({ plugins: ['shops'], env: { REDIS_URL } });
    b = await startTestApp({ plugins: ['shops'], env: { REDIS_URL }, reuse: { dataDir: a.dataDir, db: a.db } });
    for (const t of [a, b]) {
      expect(t.platform.bus.kind).to.equal('redis');
      expect(t.platform.jobs.kind).to.equal('redis');
    }
    const [sa, sb] = [await listen(a), await listen(b)];
    servers.push(sa.server, sb.server);
    [urlA, urlB] = [sa.url, sb.url];
    // The admin logs in on A; the load balancer may send the next request to B.
    const page = await on(urlA).get('/login');
    expect(page.status).to.equal(200);
    const res = await on(urlA).post('/login', { _csrf: csrfFrom(page.text), login: ADMIN.email, password: ADMIN.password });
    expect(res.status).to.equal(303);
  });
  after(async () => {
    for (const server of servers) await new Promise((r) => server.close(r));
    await b?.stop();
    await a?.close();
  });

  const on = (url: string) => ({
    get: (path: string) => browser.get(url + path).redirects(0).ok(() => true),
    post: (path: string, fields: Record<string, string>) => browser.post(url + path).redirects(0).ok(() => true).type('form').send(fields),
  });

  it('keeps a login made on one valid on the other', async () => {
    const account = await on(urlB).get('/admin');
    expect(account.status).to.equal(200);
    expect(account.text).to.contain('Dashboard');
    // A guest on B is sent to log in.
    expect((await supertest(urlB).get('/admin')).status).to.be.oneOf([302, 303]);
  });

  it("stops serving a plugin's pages on the other instance within a second of its deactivation, and brings them back within a second", async () => {
    await supertest(urlB).get('/products').expect(200);
    const page = await on(urlA).get('/admin/plugins/shops/deactivate');
    expect(page.status).to.equal(200);
    expect((await on(urlA).post('/admin/plugins/shops/deactivate', { _csrf: csrfFrom(page.text), confirm: 'yes' })).status).to.equal(303);
    expect(a.platform.plugins.isActive('shops')).to.equal(false);
    const off = await within(1000, async () => [404, 503].includes((await supertest(urlB).get('/products')).status));
    const list = await on(urlA).get('/admin/plugins');
    expect((await on(urlA).post('/admin/plugins/shops/activate', { _csrf: csrfFrom(list.text) })).status).to.equal(303);
    const back = await within(1000, async () => (await supertest(urlB).get('/products')).status === 200);
    console.log(`      (seen on the other instance: off after ${off} ms, back after ${back} ms)`);
  });

  it('shows a setting saved on one instance on the other at once', async () => {
    const form = await on(urlA).get('/admin/settings/core');
    expect(form.status).to.equal(200);
    const saved = await on(urlA).post('/admin/settings/core', {
      _csrf: csrfFrom(form.text),
      siteName: 'Two Harbours Market',
      tagline: 'Served by whichever instance is free',
      minimumAge: '16',
      adultAge: '18',
    });
    expect(saved.status).to.be.oneOf([302, 303]);
    // "At once": as soon as the bus carries the change (a few milliseconds), not at the next poll.
    const seen = await within(500, async () => (await supertest(urlB).get('/')).text.includes('Served by whichever instance is free'));
    expect(b.platform.settings.get<{ siteName: string }>('core').siteName).to.equal('Two Harbours Market');
    console.log(`      (setting seen on the other instance after ${seen} ms)`);
  });

  it('runs a job enqueued on one instance exactly once, by either', async () => {
    const runs: string[] = [];
    const disposers = [a, b].map((t, i) => t.platform.jobs.define('test.cluster.once', 'test', async (payload) => void runs.push(`${i ? 'B' : 'A'}:${payload.n}`)));
    try {
      for (let n = 1; n <= 6; n++) await (n % 2 ? a : b).platform.jobs.enqueue('test.cluster.once', { n });
      await within(10_000, async () => runs.length >= 6);
      await Promise.all([a.platform.jobs.idle(), b.platform.jobs.idle()]);
      expect(runs.map((r) => r.split(':')[1]).sort()).to.deep.equal(['1', '2', '3', '4', '5', '6']);
    } finally {
      for (const dispose of disposers) dispose();
    }
  });

  it('runs a scheduled job once per due time across both instances', async function () {
    this.timeout(60_000);
    const runs: string[] = [];
    const handlers = [a, b].map((t, i) => t.platform.jobs.define('test.cluster.tick', 'test', async () => void runs.push(i ? 'B' : 'A')));
    // Every second, registered on both, as every instance registers its plugins' schedules.
    const schedules = [a, b].map((t) => t.platform.jobs.schedule('test.cluster.tick', 'test', '* * * * * *'));
    const started = Date.now();
    try {
      await within(30_000, async () => runs.length >= 5);
    } finally {
      await schedules[0]();
      await schedules[1]();
    }
    await Promise.all([a.platform.jobs.idle(), b.platform.jobs.idle()]);
    const seconds = Math.ceil((Date.now() - started) / 1000);
    // Each due time is claimed by one instance and enqueued under the key name@time: one run per key.
    const [{ keys }] = await a.platform.sequelize.query<{ keys: string }>("SELECT COUNT(DISTINCT dedupe_key) AS keys FROM job_outbox WHERE dedupe_key LIKE 'test.cluster.tick@%'", { type: QueryTypes.SELECT });
    expect(runs.length).to.equal(Number(keys));
    expect(runs.length, `${runs.length} runs in ${seconds} s`).to.be.at.most(seconds + 1);
    for (const dispose of handlers) dispose();
  });

  it('answers the readiness check on both (database and Redis up)', async () => {
    for (const url of [urlA, urlB]) {
      const res = await supertest(url).get('/readyz').expect(200);
      expect(res.body).to.include({ status: 'ready', database: 'up', redis: 'up', bus: 'redis' });
    }
  });
});

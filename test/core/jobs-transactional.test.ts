import { expect } from 'chai';
import { Redis } from 'ioredis';
import { QueryTypes, type Sequelize } from 'sequelize';
import { startTestApp, tokenFor, type TestApp } from '../helpers/app';
import { createDatabase } from '../../core/db/database';
import { DatabaseQueue } from '../../core/jobs/database-queue';
import { RedisQueue } from '../../core/jobs/redis-queue';
import { JobSchedules } from '../../core/jobs/job-schedules';
import type { JobQueue } from '../../core/jobs/job-queue';
import type { PluginContext } from '../../core/plugins/context';

// Redis database 7 and a queue name per run: other test files use 5 and 6, and runs must not meet.
const REDIS_URL = process.env.TEST_REDIS_JOBS_URL ?? 'redis://127.0.0.1:6379/7';
const RUN = `${process.pid}-${Date.now()}`;

declare module '@agora/core' {
  interface JobMap {
    'test.tx.record': { label: string };
    'test.tx.tick': Record<string, never>;
    /** Makes the short name `tally` ambiguous (hello declares hello.tally), for the typing test. */
    'test.tally': Record<string, never>;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(what: string, test: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await test()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function count(sequelize: Sequelize, sql: string, replacements: unknown[] = []): Promise<number> {
  const [row] = await sequelize.query<{ n: number }>(sql, { replacements, type: QueryTypes.SELECT, transaction: null });
  return Number(row.n);
}

/** The table a queue keeps its not-yet-run jobs in, for the assertions on rows. */
const table = (kind: 'database' | 'redis') => (kind === 'database' ? 'jobs' : 'job_outbox');

function transactionalContract(kind: 'database' | 'redis') {
  let t: TestApp;
  let sequelize: Sequelize;
  let queueSeq = 0;
  const open: JobQueue[] = [];
  /** A queue object on the test app's database, as a second instance of the site would have. */
  const makeQueue = (name = `agora-test-${RUN}-${++queueSeq}`, on: Sequelize = sequelize): JobQueue => {
    const q = kind === 'database' ? new DatabaseQueue(on, 25, 50) : new RedisQueue(REDIS_URL, on, { queueName: name, relayMs: 200, schedulePollMs: 50 });
    open.push(q);
    return q;
  };
  const recorder = (q: JobQueue) => {
    const runs: string[] = [];
    q.define('test.tx.record', 'test', async (payload) => void runs.push(payload.label));
    return runs;
  };

  before(async function () {
    if (kind === 'redis') {
      const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        await redis.ping();
      } catch {
        this.skip();
      } finally {
        redis.disconnect();
      }
    }
    t = await startTestApp({ plugins: ['hello'], fixtures: true });
    sequelize = t.platform.sequelize;
  });
  afterEach(async () => {
    for (const q of open.splice(0)) await q.stop().catch(() => undefined);
  });
  after(async () => {
    await t?.close();
    if (kind === 'redis') {
      const redis = new Redis(REDIS_URL);
      for (const key of await redis.keys(`bull:agora-test-${RUN}-*`)) await redis.del(key);
      redis.disconnect();
    }
  });

  it('never runs a job enqueued in a transaction that rolls back (passed or ambient)', async () => {
    const q = makeQueue();
    const runs = recorder(q);
    await q.start();
    const failed = await sequelize
      .transaction(async (tx) => {
        await q.enqueue('test.tx.record', { label: 'passed tx' }, { tx });
        await q.enqueue('test.tx.record', { label: 'ambient tx' });
        throw new Error('the change fails');
      })
      .catch((e: Error) => e.message);
    expect(failed).to.equal('the change fails');
    await q.idle();
    await sleep(300);
    expect(runs).to.deep.equal([]);
    expect(await count(sequelize, `SELECT COUNT(*) AS n FROM ${table(kind)} WHERE payload LIKE ?`, ['%tx"%'])).to.equal(0);
  });

  it('runs a job enqueued in a committed transaction only after the commit', async () => {
    const q = makeQueue();
    const runs = recorder(q);
    await q.start();
    await sequelize.transaction(async () => {
      await q.enqueue('test.tx.record', { label: 'after commit' });
      await sleep(200);
      expect(runs, 'not while the change is uncommitted').to.deep.equal([]);
    });
    await waitUntil('the job to run', () => runs.length > 0);
    expect(runs).to.deep.equal(['after commit']);
  });

  it('runs a job committed with its change when the process dies between the commit and the hand-off', async () => {
    const name = `agora-test-${RUN}-crash`;
    const dying = makeQueue(name);
    const deadRuns = recorder(dying);
    await dying.start();
    let id = '';
    await sequelize.transaction(async (tx) => {
      id = await dying.enqueue('test.tx.record', { label: 'survives the crash' }, { tx });
      // The instance goes away after writing the job and before the commit's hand-off: its worker and its
      // Redis connection are gone, so the after-commit hand-off fails for real.
      await dying.stop();
    });
    await sleep(300);
    expect(deadRuns).to.deep.equal([]);
    expect(await count(sequelize, `SELECT COUNT(*) AS n FROM ${table(kind)} WHERE payload LIKE ?`, ['%survives the crash%']), 'the job is in the database').to.equal(1);

    // A fresh instance on the same database (and Redis) finds it and runs it, once.
    const fresh = makeQueue(name);
    const runs = recorder(fresh);
    await fresh.start();
    await waitUntil('the relayed job to run', () => runs.length > 0);
    await waitUntil('the job to be done', async () => (await fresh.get(id))?.status === 'done');
    await sleep(300);
    expect(runs).to.deep.equal(['survives the crash']);
    if (kind === 'redis') expect(await count(sequelize, 'SELECT COUNT(*) AS n FROM job_outbox WHERE job_id = ?', [id]), 'the outbox row is gone once handed on').to.equal(0);
  });

  // Redis only: the database queue has no hand-off, its worker reads the jobs table itself.
  if (kind === 'redis') it('hands on, while it runs, an outbox row another instance left behind (the periodic relay)', async () => {
    const name = `agora-test-${RUN}-relay`;
    const live = makeQueue(name);
    const runs = recorder(live);
    await live.start();
    // Written as a crashed instance leaves it: committed, never handed to Redis.
    const jobId = `left-behind-${RUN}`;
    await sequelize.query('INSERT INTO job_outbox (job_id, name, payload, dedupe_key, max_attempts, run_at, created_at) VALUES (?, ?, ?, NULL, 5, ?, ?)', {
      replacements: [jobId, 'test.tx.record', JSON.stringify({ label: 'left behind' }), new Date(), new Date()],
    });
    await waitUntil('the relay to hand it on and the job to run', () => runs.length > 0, 5000);
    expect(runs).to.deep.equal(['left behind']);
    expect((await live.get(jobId))?.status).to.be.oneOf(['running', 'done']);
    expect(await count(sequelize, 'SELECT COUNT(*) AS n FROM job_outbox WHERE job_id = ?', [jobId])).to.equal(0);
  });

  it('gives one job for one dedupe key, also to concurrent enqueues in and out of transactions', async () => {
    const q = makeQueue();
    const runs = recorder(q);
    await q.start();
    const key = `dedupe-${kind}-${RUN}`;
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2
          ? sequelize.transaction((tx) => q.enqueue('test.tx.record', { label: `try ${i}` }, { tx, dedupeKey: key }))
          : q.enqueue('test.tx.record', { label: `try ${i}` }, { dedupeKey: key }),
      ),
    );
    expect(new Set(ids).size, `ids ${ids.join(', ')}`).to.equal(1);
    await waitUntil('the job to run', () => runs.length > 0);
    // Later, after it ran, the same key is still the same job, and it does not run again.
    expect(await q.enqueue('test.tx.record', { label: 'late duplicate' }, { dedupeKey: key })).to.equal(ids[0]);
    await q.idle();
    await sleep(400);
    expect(runs).to.have.length(1);
    expect(await count(sequelize, `SELECT COUNT(*) AS n FROM ${table(kind)} WHERE dedupe_key = ?`, [key])).to.equal(1);
  });

  it('runs a schedule once per due time with two instances (every second, for about three seconds)', async function () {
    this.timeout(20_000);
    const other = createDatabase(t.config.databaseUrl); // the second instance has a Sequelize of its own
    try {
      const name = `agora-test-${RUN}-schedule`;
      const runs: string[] = [];
      const instances = [makeQueue(name), makeQueue(name, other)];
      const removers = instances.map((q, i) => {
        q.define('test.tx.tick', 'test', async () => void runs.push(`instance ${i}`));
        return q.schedule('test.tx.tick', 'test', '* * * * * *');
      });
      await Promise.all(instances.map((q) => q.start()));
      await sleep(3300);
      await Promise.all(removers.map((remove) => remove()));
      await sleep(300);
      await Promise.all(instances.map((q) => q.idle()));
      const dueTimes = await sequelize.query<{ dedupe_key: string }>(`SELECT dedupe_key FROM ${table(kind)} WHERE dedupe_key LIKE ? ORDER BY dedupe_key`, {
        replacements: ['test.tx.tick@%'],
        type: QueryTypes.SELECT,
      });
      expect(dueTimes.length, 'one job per due second').to.be.within(2, 4);
      for (const { dedupe_key: k } of dueTimes) expect(k).to.match(/^test\.tx\.tick@\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      expect(runs, `runs: ${runs.join(', ')}`).to.have.length(dueTimes.length);
      expect(await count(sequelize, "SELECT COUNT(*) AS n FROM job_schedules WHERE name = 'test.tx.tick'"), 'removed').to.equal(0);
    } finally {
      await other.close();
    }
  });
}

describe('jobs written with their transaction, deduplicated and scheduled', () => {
  describe('on the database queue', () => transactionalContract('database'));
  describe('on Redis (BullMQ, through the job outbox)', () => transactionalContract('redis'));

  describe('the schedule claim', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ plugins: [] });
    });
    after(async () => t.close());

    it('lets exactly one of two instances that tick at the same due time enqueue it (a fake clock)', async () => {
      const enqueued: Array<{ by: string; key?: string }> = [];
      const instance = (by: string) =>
        new JobSchedules(t.platform.sequelize, async (_name, _payload, options) => {
          enqueued.push({ by, key: options.dedupeKey });
          return '1';
        });
      const a = instance('a');
      const b = instance('b');
      a.register('test.tx.tick', 'test', '*/10 * * * *');
      b.register('test.tx.tick', 'test', '*/10 * * * *');
      const start = new Date('2030-01-01T00:03:00.000Z');
      await a.tick(start); // the first sight of the schedule plans its first run: 00:10
      await b.tick(start);
      expect(enqueued).to.deep.equal([]);
      for (const minute of [10, 20, 30]) {
        const now = new Date(Date.UTC(2030, 0, 1, 0, minute, 0, 500));
        await Promise.all([a.tick(now), b.tick(now)]);
        await Promise.all([a.tick(now), b.tick(now)]); // and a second look at the same time finds nothing due
      }
      expect(enqueued.map((e) => e.key)).to.deep.equal(['test.tx.tick@2030-01-01T00:10:00.000Z', 'test.tx.tick@2030-01-01T00:20:00.000Z', 'test.tx.tick@2030-01-01T00:30:00.000Z']);
      // A time missed while every instance was down is run once, then the schedule goes on from now.
      await a.tick(new Date('2030-01-01T05:55:00.000Z'));
      await b.tick(new Date('2030-01-01T05:55:00.000Z'));
      expect(enqueued.map((e) => e.key).slice(3)).to.deep.equal(['test.tx.tick@2030-01-01T00:40:00.000Z']);
      await a.tick(new Date('2030-01-01T06:00:01.000Z'));
      expect(enqueued.map((e) => e.key).slice(4)).to.deep.equal(['test.tx.tick@2030-01-01T06:00:00.000Z']);
    });

    it('refuses a cron expression it cannot read when it is registered', () => {
      const schedules = new JobSchedules(t.platform.sequelize, async () => '1');
      expect(() => schedules.register('test.tx.tick', 'test', 'every tuesday')).to.throw();
    });
  });

  describe('in the example plugin', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ plugins: ['hello'], fixtures: true });
    });
    after(async () => t.close());

    it('enqueues its tally with the greeting, in the same transaction, and runs it', async () => {
      const agent = t.agent();
      const token = await tokenFor(agent, '/hello');
      await agent.post('/hello').type('form').send({ _csrf: token, name: 'Tx', email: 'tx@example.test', message: 'tallied' }).expect(303);
      await waitUntil('the tally', () => t.platform.options.get<{ count?: number } | null>('hello.tally', null)?.count === 1);
      const rows = await t.platform.sequelize.query<{ dedupe_key: string; status: string }>("SELECT dedupe_key, status FROM jobs WHERE name = 'hello.tally'", { type: QueryTypes.SELECT });
      expect(rows).to.have.length(1);
      expect(rows[0].dedupe_key).to.match(/^hello\.tally:after:\d+$/);
    });

    it('lets core services called in a transaction join it: a mail sent in a rolled-back change is neither kept nor delivered', async () => {
      const outboxRows = (to: string) => count(t.platform.sequelize, 'SELECT COUNT(*) AS n FROM outbox WHERE to_address = ?', [to]);
      const deliveries = () => count(t.platform.sequelize, "SELECT COUNT(*) AS n FROM jobs WHERE name = 'core.mail.deliver'");
      const before = await deliveries();
      await t.platform.sequelize
        .transaction(async () => {
          await t.platform.mailer.send({ to: 'undone@example.test', subject: 'Never', template: 'hello/mail-thanks', data: { name: 'Un' } });
          throw new Error('the change fails after the mail was written');
        })
        .catch(() => undefined);
      expect(await outboxRows('undone@example.test'), 'no outbox row').to.equal(0);
      expect(await deliveries(), 'no delivery job').to.equal(before);

      await t.platform.sequelize.transaction(async () => {
        await t.platform.mailer.send({ to: 'done@example.test', subject: 'Kept', template: 'hello/mail-thanks', data: { name: 'Do' } });
      });
      await t.platform.jobs.idle();
      const [row] = await t.platform.sequelize.query<{ status: string }>("SELECT status FROM outbox WHERE to_address = 'done@example.test'", { type: QueryTypes.SELECT });
      expect(row?.status, 'committed: kept in the outbox by its delivery job').to.equal('kept');
    });

    it('schedules its hourly tally, and the schedule goes when the plugin is deactivated', async () => {
      const scheduled = () => count(t.platform.sequelize, "SELECT COUNT(*) AS n FROM job_schedules WHERE name = 'hello.tally'");
      await waitUntil('the schedule row', async () => (await scheduled()) === 1);
      const [row] = await t.platform.sequelize.query<{ cron: string; owner: string }>("SELECT cron, owner FROM job_schedules WHERE name = 'hello.tally'", { type: QueryTypes.SELECT });
      expect(row).to.deep.equal({ cron: '0 * * * *', owner: 'hello' });
      await t.platform.plugins.deactivate('hello');
      expect(await scheduled()).to.equal(0);
      await sleep(200);
      expect(await scheduled(), 'and no tick brings it back').to.equal(0);
    });
  });

  it('types job names and payloads by the JobMap (a misspelt name is a compile error)', () => {
    // Compiled by `tsc --noEmit`, not run: each @ts-expect-error fails the typecheck if its line compiles.
    const typed = (q: JobQueue, ctx: PluginContext) => {
      void q.enqueue('test.tx.record', { label: 'fine' });
      // @ts-expect-error -- a misspelt job name does not compile
      void q.enqueue('test.tx.recrod', { label: 'x' });
      // @ts-expect-error -- the label is a string
      void q.enqueue('test.tx.record', { label: 1 });
      q.define('test.tx.record', 'test', async (payload) => {
        const label: string = payload.label;
        // @ts-expect-error -- the payload has no such field
        void payload.lable;
        void label;
      });
      // In a plugin, the name may leave out the plugin's own prefix; both forms are checked.
      void ctx.jobs.enqueue('record', { name: 'n', email: 'e' });
      void ctx.jobs.enqueue('hello.tally', { after: 1 }, { dedupeKey: 'k' });
      // @ts-expect-error -- a short name that two plugins declare (hello.tally, test.tally) must be written in full
      void ctx.jobs.enqueue('tally', {});
      // @ts-expect-error -- a misspelt short name does not compile either
      void ctx.jobs.enqueue('talley', {});
      // @ts-expect-error -- hello.record needs an email
      void ctx.jobs.enqueue('record', { name: 'n' });
      ctx.jobs.schedule('hello.tally', '0 * * * *');
      // @ts-expect-error -- a schedule of an undeclared job does not compile
      ctx.jobs.schedule('hello.nothing', '0 * * * *');
    };
    expect(typed).to.be.a('function');
  });
});

import { expect } from 'chai';
import { Redis } from 'ioredis';
import { QueryTypes } from 'sequelize';
import { startTestApp, type TestApp, type TestAppOptions } from '../helpers/app';
import type { JobInfo, JobStatus } from '../../core/jobs/job-queue';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/5';

// The jobs these tests define on the platform's queue (JobMap is how every job name gets its payload type).
declare module '@agora/core' {
  interface JobMap {
    'test.flaky': Record<string, never>;
    'test.doomed': Record<string, never>;
    'test.later': { n: number };
  }
}

/** Waits for a job to reach a state, with a bound (backoff makes retries take seconds). */
async function waitForJob(t: TestApp, id: string, wanted: JobStatus | ((info: JobInfo) => boolean), timeoutMs = 15_000): Promise<JobInfo> {
  const test = typeof wanted === 'string' ? (i: JobInfo) => i.status === wanted : wanted;
  const deadline = Date.now() + timeoutMs;
  let info: JobInfo | undefined;
  while (Date.now() < deadline) {
    info = await t.platform.jobs.get(id);
    if (info && test(info)) return info;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${id} did not reach ${String(wanted)}; it is ${JSON.stringify(info)}`);
}

async function greetingsBy(t: TestApp, email: string): Promise<string[]> {
  const rows = await t.platform.sequelize.query<{ message: string }>('SELECT message FROM hello_greetings WHERE email = ?', { replacements: [email], type: QueryTypes.SELECT });
  return rows.map((r) => r.message);
}

/** The contract every queue keeps; run against the database queue and against Redis. */
function jobQueueContract(kind: 'database' | 'redis', extra: TestAppOptions['env'] = {}) {
  let t: TestApp;
  const start = (reuse?: TestApp) => startTestApp({ plugins: ['hello'], fixtures: true, env: extra, reuse: reuse && { dataDir: reuse.dataDir, db: reuse.db } });
  before(async () => {
    t = await start();
    expect(t.platform.jobs.kind).to.equal(kind);
  });
  after(async () => t.close());

  it('runs a job in the background and records it as done', async () => {
    const id = await t.platform.jobs.enqueue('hello.record', { name: 'Bo', email: 'bo@example.test', message: 'queued hello' });
    const info = await waitForJob(t, id, 'done');
    expect(info).to.include({ name: 'hello.record', attempts: 1 });
    expect(await greetingsBy(t, 'bo@example.test')).to.deep.equal(['queued hello']);
  });

  it('keeps a job that was enqueued but not yet run across a restart, and runs it after', async () => {
    const id = await t.platform.jobs.enqueue('hello.record', { name: 'Cy', email: 'cy@example.test', message: 'survived a restart' }, { delayMs: 2500 });
    await t.stop();
    expect((await t.platform.sequelize.query('SELECT 1').catch(() => 'closed')), 'the first app is really gone').to.equal('closed');
    t = await start(t);
    const before = await t.platform.jobs.get(id);
    expect(before?.status).to.equal('queued');
    await waitForJob(t, id, 'done');
    expect(await greetingsBy(t, 'cy@example.test')).to.deep.equal(['survived a restart']);
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    let runs = 0;
    t.platform.jobs.define('test.flaky', 'test', async () => {
      runs++;
      if (runs < 3) throw new Error(`flaky failure ${runs}`);
    });
    const id = await t.platform.jobs.enqueue('test.flaky', {}, { maxAttempts: 5 });
    // After the first failure it waits its backoff in the queue, with the error kept.
    const waiting = await waitForJob(t, id, (i) => i.attempts === 1 && i.status === 'queued');
    expect(waiting.lastError).to.equal('flaky failure 1');
    const info = await waitForJob(t, id, 'done');
    expect(info.attempts).to.equal(3);
    expect(runs).to.equal(3);
  });

  it('marks a job that always fails as failed after its maximum attempts', async () => {
    let runs = 0;
    t.platform.jobs.define('test.doomed', 'test', async () => {
      runs++;
      throw new Error('never works');
    });
    const id = await t.platform.jobs.enqueue('test.doomed', {}, { maxAttempts: 3 });
    const info = await waitForJob(t, id, 'failed');
    expect(info).to.include({ attempts: 3, maxAttempts: 3, lastError: 'never works' });
    expect(runs).to.equal(3);
    await t.platform.jobs.idle();
    expect(runs, 'and is not run again').to.equal(3);
  });

  it('keeps a job whose handler is not defined here waiting, and runs it once one is', async () => {
    const id = await t.platform.jobs.enqueue('test.later', { n: 1 });
    await t.platform.jobs.idle();
    expect((await t.platform.jobs.get(id))?.status).to.equal('queued');
    let got: unknown;
    t.platform.jobs.define('test.later', 'test', async (payload) => {
      got = payload.n;
    });
    const info = await waitForJob(t, id, 'done');
    expect(got).to.equal(1);
    expect(info.attempts, 'waiting for a handler used up no attempt').to.equal(1);
  });
}

describe('background jobs', () => {
  describe('on the database queue', () => {
    jobQueueContract('database');
  });

  describe('on Redis (BullMQ)', () => {
    const flush = async () => {
      const redis = new Redis(REDIS_URL);
      await redis.flushdb();
      redis.disconnect();
    };
    before(flush);
    after(flush);
    jobQueueContract('redis', { REDIS_URL });
  });
});

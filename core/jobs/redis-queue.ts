import crypto from 'node:crypto';
import { DelayedError, Job, Queue, Worker, type ConnectionOptions } from 'bullmq';
import { QueryTypes, type Sequelize } from 'sequelize';
import { log } from '../log';
import { afterCommit, currentTransaction, outsideTransaction } from '../db/transaction';
import type { EnqueueOptions, JobInfo, JobQueue, JobStatus, ScheduleOptions } from './job-queue';
import type { JobHandler, JobName, JobPayload } from './job-map';
import { JobSchedules } from './job-schedules';
import { insertUnlessDuplicate, dedupedJobId } from './insert-unless-duplicate';
import { JobHandlers } from './job-handlers';

const NO_HANDLER_RETRY_MS = 2000;
/** How long a handed-on outbox row with a dedupe key is kept, so that a late duplicate is still one. */
const DEDUPE_WINDOW_MS = 7 * 24 * 3600_000;


interface OutboxRow {
  id: number;
  job_id: string;
  name: string;
  payload: string;
  dedupe_key: string | null;
  max_attempts: number;
  run_at: string | Date;
}

export interface RedisQueueOptions {
  queueName?: string;
  /** BullMQ's key prefix (default `bull`); the platform passes `<REDIS_PREFIX>bull`, so two stores on one Redis never share a queue. */
  prefix?: string;
  /** How often the relay looks for outbox rows a crash left behind (and how old they must be). */
  relayMs?: number;
  schedulePollMs?: number;
}

/**
 * BullMQ on Redis (`REDIS_URL`): the same contract as the database queue, shared by every instance.
 * An enqueue writes a row of `job_outbox` in the caller's transaction (explicit or ambient) and hands it to
 * BullMQ after the commit, so a rolled-back change leaves no job and a committed one always gets its job:
 * if the process dies between commit and hand-off, the relay of any instance hands the row on (at start
 * and every `relayMs`). The BullMQ job id is chosen at enqueue and kept in the row, so a row handed on
 * twice (a relay racing a slow hand-off) is still one job.
 */
export class RedisQueue implements JobQueue {
  readonly kind = 'redis' as const;
  private readonly handlers = new JobHandlers();
  private readonly queue: Queue;
  private readonly schedules: JobSchedules;
  private readonly connection: ConnectionOptions;
  private readonly queueName: string;
  private readonly prefix: string;
  private readonly relayMs: number;
  private worker: Worker | undefined;
  private relayTimer: NodeJS.Timeout | undefined;
  private relaying: Promise<void> | undefined;
  private readonly handing = new Set<Promise<void>>();
  private stopped = true;

  constructor(
    redisUrl: string,
    private readonly sequelize: Sequelize,
    options: RedisQueueOptions = {},
  ) {
    const url = new URL(redisUrl);
    this.connection = {
      host: url.hostname,
      port: Number(url.port || 6379),
      password: url.password || undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      maxRetriesPerRequest: null,
    };
    this.queueName = options.queueName ?? 'agora-jobs';
    this.relayMs = options.relayMs ?? 5000;
    this.prefix = options.prefix ?? 'bull';
    this.queue = new Queue(this.queueName, { connection: this.connection, prefix: this.prefix });
    this.schedules = new JobSchedules(sequelize, (name, payload, o) => this.enqueueAny(name, payload, o), options.schedulePollMs);
  }

  define<N extends JobName>(name: N, _owner: string, handler: JobHandler<N>): () => void {
    return this.handlers.define(name, handler);
  }

  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<string> {
    return this.enqueueAny(name, payload as Record<string, unknown>, options);
  }

  schedule<N extends JobName>(name: N, owner: string, cron: string, options: ScheduleOptions<N> = {}): () => Promise<void> {
    return this.schedules.register(name, owner, cron, { payload: options.payload as Record<string, unknown> | undefined, maxAttempts: options.maxAttempts });
  }

  private async enqueueAny(name: string, payload: Record<string, unknown>, options: EnqueueOptions): Promise<string> {
    const tx = options.tx !== undefined ? options.tx : (currentTransaction(this.sequelize) ?? null);
    const now = new Date();
    const jobId = crypto.randomUUID();
    const id = await insertUnlessDuplicate(
      this.sequelize,
      'INSERT INTO job_outbox (job_id, name, payload, dedupe_key, max_attempts, run_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING',
      [jobId, name, JSON.stringify(payload), options.dedupeKey ?? null, options.maxAttempts ?? 5, new Date(now.getTime() + (options.delayMs ?? 0)), now],
      tx,
    );
    if (id === undefined) {
      return dedupedJobId(this.sequelize, 'job_outbox', 'job_id', options.dedupeKey, tx);
    }
    // Outside a transaction the job is in Redis when enqueue returns, as a caller expects; with one, the
    // hand-off follows the commit and the commit does not wait for it.
    if (!tx) await this.track(this.handOffById(id));
    else afterCommit(tx, () => outsideTransaction(this.sequelize, () => this.track(this.handOffById(id))));
    return jobId;
  }

  /** Keeps a hand-off in flight known, so that idle() waits for it. */
  private track(handOff: Promise<void>): Promise<void> {
    this.handing.add(handOff);
    return handOff.finally(() => this.handing.delete(handOff));
  }

  /** After the commit: the row (if a savepoint's rollback did not take it back) goes to BullMQ. */
  private async handOffById(id: number): Promise<void> {
    try {
      const [row] = await this.sequelize.query<OutboxRow>('SELECT * FROM job_outbox WHERE id = ? AND handed_at IS NULL', {
        replacements: [id],
        type: QueryTypes.SELECT,
        transaction: null,
      });
      if (row) await this.handOff(row);
    } catch (error) {
      // The row stays; the relay hands it on.
      log.warn({ err: error, outbox: id }, 'could not hand a job to Redis; the relay will');
    }
  }

  private async handOff(row: OutboxRow): Promise<void> {
    const delay = Math.max(0, new Date(row.run_at).getTime() - Date.now());
    await this.queue.add(row.name, JSON.parse(row.payload) as Record<string, unknown>, {
      jobId: row.job_id,
      delay,
      attempts: Number(row.max_attempts),
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
    if (row.dedupe_key === null) {
      await this.sequelize.query('DELETE FROM job_outbox WHERE id = ?', { replacements: [row.id], transaction: null });
    } else {
      await this.sequelize.query('UPDATE job_outbox SET handed_at = ? WHERE id = ?', { replacements: [new Date(), row.id], transaction: null });
    }
  }

  /** Hands on committed rows older than `minAgeMs` that no hand-off took (the process died first), and forgets old dedupe keys. */
  async relay(minAgeMs = this.relayMs): Promise<number> {
    const rows = await this.sequelize.query<OutboxRow>('SELECT * FROM job_outbox WHERE handed_at IS NULL AND created_at <= ? ORDER BY id LIMIT 500', {
      replacements: [new Date(Date.now() - minAgeMs)],
      type: QueryTypes.SELECT,
      transaction: null,
    });
    for (const row of rows) await this.handOff(row);
    await this.sequelize.query('DELETE FROM job_outbox WHERE handed_at IS NOT NULL AND handed_at < ?', {
      replacements: [new Date(Date.now() - DEDUPE_WINDOW_MS)],
      transaction: null,
    });
    if (rows.length) log.info({ count: rows.length }, 'relayed jobs left in the outbox');
    return rows.length;
  }

  async get(id: string): Promise<JobInfo | undefined> {
    let job = await Job.fromId(this.queue, id);
    if (!job) {
      // Committed but not handed on yet: it is queued all the same.
      const [row] = await this.sequelize.query<{ name: string; max_attempts: number }>('SELECT name, max_attempts FROM job_outbox WHERE job_id = ? AND handed_at IS NULL', {
        replacements: [id],
        type: QueryTypes.SELECT,
        transaction: null,
      });
      return row ? { id, name: row.name, status: 'queued', attempts: 0, maxAttempts: Number(row.max_attempts) } : undefined;
    }
    const state = await job.getState();
    // The job may have ended between the two reads: read an ended one again, as it no longer changes.
    if (state === 'completed' || state === 'failed') job = (await Job.fromId(this.queue, id)) ?? job;
    const status: JobStatus = state === 'completed' ? 'done' : state === 'failed' ? 'failed' : state === 'active' ? 'running' : 'queued';
    return {
      id,
      name: job.name,
      status,
      // BullMQ counts the runs that ended; a running job is one more.
      attempts: job.attemptsMade + (status === 'running' ? 1 : 0),
      maxAttempts: job.opts.attempts ?? 1,
      lastError: job.failedReason || undefined,
    };
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.worker = new Worker(
      this.queueName,
      async (job, token) => {
        const handler = this.handlers.get(job.name);
        if (!handler) {
          // Its plugin is not active here (yet): wait for it as the database queue does, without using up an attempt.
          await job.moveToDelayed(Date.now() + NO_HANDLER_RETRY_MS, token);
          throw new DelayedError();
        }
        await handler(job.data as Record<string, unknown>);
      },
      { connection: this.connection, concurrency: 4, prefix: this.prefix },
    );
    this.worker.on('failed', (job, err) => log.warn({ job: job?.name, err }, 'job failed'));
    // Whatever a stopped or crashed instance left behind, at once; then now and then.
    await this.relay(0).catch((error: unknown) => log.error({ err: error }, 'job relay failed'));
    this.planRelay();
    this.schedules.start();
  }

  private planRelay(): void {
    clearTimeout(this.relayTimer);
    if (this.stopped) return;
    this.relayTimer = outsideTransaction(this.sequelize, () =>
      setTimeout(() => {
        this.relaying = this.relay()
          .then(() => undefined)
          .catch((error: unknown) => log.error({ err: error }, 'job relay failed'))
          .finally(() => this.planRelay());
      }, this.relayMs),
    );
    this.relayTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.relayTimer);
    await this.schedules.stop();
    await this.relaying;
    await this.worker?.close();
    await this.queue.close();
  }

  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await Promise.all(this.handing);
      const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (counts.waiting + counts.active + counts.prioritized === 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('jobs did not become idle in time');
  }
}

import { QueryTypes, type Sequelize } from 'sequelize';
import { log } from '../log';
import { afterCommit, currentTransaction, outsideTransaction } from '../db/transaction';
import { backoffMs, type EnqueueOptions, type JobInfo, type JobQueue, type JobStatus, type ScheduleOptions } from './job-queue';
import type { JobHandler, JobName, JobPayload } from './job-map';
import { JobSchedules } from './job-schedules';
import { insertUnlessDuplicate, dedupedJobId } from './insert-unless-duplicate';
import { JobHandlers } from './job-handlers';


interface JobRow {
  id: number;
  name: string;
  payload: string;
  attempts: number;
  max_attempts: number;
}

const STALE_LOCK_MS = 5 * 60_000;

/** Jobs kept in the `jobs` table and run by an in-process worker; several instances never run one job twice. */
export class DatabaseQueue implements JobQueue {
  readonly kind = 'database' as const;
  private readonly handlers = new JobHandlers();
  private readonly schedules: JobSchedules;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private busy: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly pollMs = 1000,
    schedulePollMs = 1000,
  ) {
    this.schedules = new JobSchedules(sequelize, (name, payload, options) => this.enqueueAny(name, payload, options), schedulePollMs);
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

  /**
   * The row is written in the caller's transaction (explicit or ambient), so it exists only if that
   * commits; the worker is woken after the commit. With a dedupe key already taken (also by a concurrent
   * enqueue, which the unique index makes this one wait for) it returns that job's id instead.
   */
  private async enqueueAny(name: string, payload: Record<string, unknown>, options: EnqueueOptions): Promise<string> {
    const tx = options.tx !== undefined ? options.tx : (currentTransaction(this.sequelize) ?? null);
    const now = new Date();
    const id = await insertUnlessDuplicate(
      this.sequelize,
      'INSERT INTO jobs (name, payload, status, attempts, max_attempts, run_at, dedupe_key, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING',
      [name, JSON.stringify(payload), 'queued', options.maxAttempts ?? 5, new Date(now.getTime() + (options.delayMs ?? 0)), options.dedupeKey ?? null, now, now],
      tx,
    );
    if (id === undefined) {
      return dedupedJobId(this.sequelize, 'jobs', 'id', options.dedupeKey, tx);
    }
    if (!options.delayMs) afterCommit(tx, () => this.kick());
    return String(id);
  }

  async get(id: string): Promise<JobInfo | undefined> {
    if (!/^\d+$/.test(id)) return undefined;
    const [row] = await this.sequelize.query<JobRow & { status: JobStatus; last_error: string | null }>(
      'SELECT id, name, status, attempts, max_attempts, last_error FROM jobs WHERE id = ?',
      { replacements: [Number(id)], type: QueryTypes.SELECT },
    );
    if (!row) return undefined;
    return { id: String(row.id), name: row.name, status: row.status, attempts: Number(row.attempts), maxAttempts: Number(row.max_attempts), lastError: row.last_error ?? undefined };
  }

  async start(): Promise<void> {
    this.stopped = false;
    // A worker that died mid-job left it "running": give it back to the queue.
    await this.sequelize.query("UPDATE jobs SET status = 'queued', locked_at = NULL WHERE status = 'running' AND locked_at < ?", {
      replacements: [new Date(Date.now() - STALE_LOCK_MS)],
    });
    this.plan(0);
    this.schedules.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.schedules.stop();
    await this.busy;
  }

  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await this.busy;
      // Jobs no handler here can run (their plugin is inactive) wait for one; they do not keep us busy.
      const names = this.handlers.names();
      if (names.length === 0 && !this.running) return;
      const [row] = await this.sequelize.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM jobs WHERE ((status = 'queued' AND run_at <= ?) OR status = 'running') AND name IN (${names.map(() => '?').join(',') || 'NULL'})`,
        { replacements: [new Date(), ...names], type: QueryTypes.SELECT },
      );
      if (Number(row.n) === 0 && !this.running) return;
      this.kick();
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('jobs did not become idle in time');
  }

  private kick(): void {
    if (!this.stopped && !this.running) this.plan(0);
  }

  private plan(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    // The worker must not run its queries (or the handlers) in whatever transaction the kicker was in.
    this.timer = outsideTransaction(this.sequelize, () =>
      setTimeout(() => {
        this.busy = this.drain();
      }, ms),
    );
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.stopped) {
        const job = await this.claim();
        if (!job) break;
        await this.run(job);
      }
    } catch (error) {
      log.error({ err: error }, 'job worker failed');
    } finally {
      this.running = false;
      this.plan(this.pollMs);
    }
  }

  private async claim(): Promise<JobRow | undefined> {
    const names = this.handlers.names();
    if (names.length === 0) return undefined;
    const now = new Date();
    const candidates = await this.sequelize.query<JobRow>(
      `SELECT id, name, payload, attempts, max_attempts FROM jobs WHERE status = 'queued' AND run_at <= ? AND name IN (${names.map(() => '?').join(',')}) ORDER BY run_at, id LIMIT 5`,
      { replacements: [now, ...names], type: QueryTypes.SELECT },
    );
    for (const job of candidates) {
      const [, affected] = await this.sequelize.query(
        "UPDATE jobs SET status = 'running', locked_at = ?, attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'queued'",
        { replacements: [now, now, job.id], type: QueryTypes.UPDATE },
      );
      if (affected) return { ...job, attempts: job.attempts + 1 };
    }
    return undefined;
  }

  private async run(job: JobRow): Promise<void> {
    const handler = this.handlers.get(job.name);
    const now = new Date();
    try {
      if (!handler) throw new Error(`no handler for job "${job.name}"`);
      await handler(JSON.parse(job.payload) as Record<string, unknown>);
      await this.sequelize.query("UPDATE jobs SET status = 'done', locked_at = NULL, last_error = NULL, updated_at = ? WHERE id = ?", {
        replacements: [new Date(), job.id],
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = job.attempts >= job.max_attempts;
      log.warn({ job: job.name, id: job.id, attempt: job.attempts, err: error }, final ? 'job failed for good' : 'job failed; will retry');
      await this.sequelize.query('UPDATE jobs SET status = ?, locked_at = NULL, last_error = ?, run_at = ?, updated_at = ? WHERE id = ?', {
        replacements: [final ? 'failed' : 'queued', message, new Date(now.getTime() + backoffMs(job.attempts)), now, job.id],
      });
    }
  }
}

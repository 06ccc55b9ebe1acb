import { CronExpressionParser } from 'cron-parser';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { log } from '../log';
import { outsideTransaction } from '../db/transaction';
import type { EnqueueOptions } from './job-queue';

interface Registered {
  owner: string;
  cron: string;
  payload: Record<string, unknown>;
  maxAttempts?: number;
}

type Enqueue = (name: string, payload: Record<string, unknown>, options: EnqueueOptions) => Promise<string>;

/** The next due time of `cron` strictly after `after`, in UTC. Throws on an expression cron-parser refuses. */
export function nextDue(cron: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: 'UTC' }).next().toDate();
}

/**
 * Recurring jobs, on either queue. Each schedule has a row in `job_schedules` with its next due time.
 * Every instance that registered it polls; the one whose conditional UPDATE moves the due time on (from
 * the value it read) has claimed that run and enqueues it in the same transaction, with the dedupe key
 * `<name>@<due time ISO>`. A run missed while every instance was down is made once on the next start,
 * not once per missed time.
 */
export class JobSchedules {
  private readonly registered = new Map<string, Registered>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly sequelize: Sequelize,
    private readonly enqueue: Enqueue,
    private readonly pollMs = 1000,
  ) {}

  register(name: string, owner: string, cron: string, options: { payload?: Record<string, unknown>; maxAttempts?: number } = {}): () => Promise<void> {
    nextDue(cron, new Date()); // refuse a bad expression at registration, not at the first tick
    const entry: Registered = { owner, cron, payload: options.payload ?? {}, maxAttempts: options.maxAttempts };
    this.registered.set(name, entry);
    if (!this.stopped) this.plan(0);
    return async () => {
      if (this.registered.get(name) !== entry) return;
      this.registered.delete(name);
      await this.sequelize.query('DELETE FROM job_schedules WHERE name = ?', { replacements: [name], transaction: null });
    };
  }

  start(): void {
    this.stopped = false;
    this.plan(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
  }

  /** One round: each schedule registered here that is due is claimed and enqueued (by this instance or another). */
  async tick(now = new Date()): Promise<void> {
    for (const [name, entry] of this.registered) {
      try {
        await this.runIfDue(name, entry, now);
      } catch (error) {
        log.error({ err: error, job: name }, 'schedule tick failed');
      }
    }
  }

  private plan(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    // The timer must not inherit an ambient transaction of whoever registered the schedule.
    this.timer = outsideTransaction(this.sequelize, () =>
      setTimeout(() => {
        this.ticking = this.tick().finally(() => this.plan(this.pollMs));
      }, ms),
    );
    this.timer.unref();
  }

  private async runIfDue(name: string, entry: Registered, now: Date): Promise<void> {
    const [row] = await this.sequelize.query<{ cron: string; next_run_at: string | Date }>('SELECT cron, next_run_at FROM job_schedules WHERE name = ?', {
      replacements: [name],
      type: QueryTypes.SELECT,
      transaction: null,
    });
    if (!row) {
      // First instance to see this schedule: the first run is the next due time from now.
      await this.sequelize.query(
        'INSERT INTO job_schedules (name, owner, cron, next_run_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
        { replacements: [name, entry.owner, entry.cron, nextDue(entry.cron, now), now], transaction: null },
      );
      return;
    }
    if (row.cron !== entry.cron) {
      // A new version changed the expression: plan from now with the new one.
      await this.sequelize.query('UPDATE job_schedules SET cron = ?, next_run_at = ?, updated_at = ? WHERE name = ? AND cron = ?', {
        replacements: [entry.cron, nextDue(entry.cron, now), now, name, row.cron],
        transaction: null,
      });
      return;
    }
    const due = new Date(row.next_run_at);
    if (due.getTime() > now.getTime()) return;
    await this.sequelize.transaction(async (tx: Transaction) => {
      // The value exactly as read: only one instance moves it on.
      const [, claimed] = await this.sequelize.query('UPDATE job_schedules SET next_run_at = ?, updated_at = ? WHERE name = ? AND next_run_at = ?', {
        replacements: [nextDue(entry.cron, now), now, name, row.next_run_at],
        type: QueryTypes.UPDATE,
        transaction: tx,
      });
      if (!claimed) return;
      await this.enqueue(name, entry.payload, { tx, dedupeKey: `${name}@${due.toISOString()}`, maxAttempts: entry.maxAttempts });
    });
  }
}

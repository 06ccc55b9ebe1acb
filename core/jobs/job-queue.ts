import type { Transaction } from 'sequelize';
import type { JobHandler, JobName, JobPayload } from './job-map';

export type { JobHandler, JobMap, JobName, JobPayload } from './job-map';

export interface EnqueueOptions {
  /**
   * The transaction the job is written with: it runs only if that commits, and is handed to the worker
   * after the commit. Default: the ambient transaction, if any; `null`: none (written at once).
   */
  tx?: Transaction | null;
  /** Enqueueing twice with one key gives one job: the second call returns the first job's id. */
  dedupeKey?: string;
  delayMs?: number;
  maxAttempts?: number;
}

export interface ScheduleOptions<N extends JobName = JobName> {
  /** The payload of every run (default `{}`): a scheduled job usually needs none. */
  payload?: JobPayload<N>;
  maxAttempts?: number;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

/** What a queue knows about one job: for tests, the CLI and the admin. */
export interface JobInfo {
  id: string;
  name: string;
  status: JobStatus;
  /** Runs started so far, the failed ones included. */
  attempts: number;
  maxAttempts: number;
  lastError?: string;
}

/** Background work: persisted, retried with backoff, run by a worker in this process or on Redis. */
export interface JobQueue {
  readonly kind: 'database' | 'redis';
  define<N extends JobName>(name: N, owner: string, handler: JobHandler<N>): () => void;
  /** Persists the job (with `options.tx`, or the ambient transaction) and returns its id. */
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options?: EnqueueOptions): Promise<string>;
  /**
   * Runs the job at each due time of a 5- or 6-field cron expression (UTC, seconds first when 6), once
   * per due time across every instance on this database. Returns a disposer that removes the schedule.
   */
  schedule<N extends JobName>(name: N, owner: string, cron: string, options?: ScheduleOptions<N>): () => Promise<void>;
  /** One job's state; undefined once the queue has forgotten it. */
  get(id: string): Promise<JobInfo | undefined>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when no job that this process can run is due or running; tests and the CLI use it to wait. */
  idle(timeoutMs?: number): Promise<void>;
}

/** 1 s, 2 s, 4 s ... capped at 10 minutes: the wait before attempt `attempt + 1`. */
export function backoffMs(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 10 * 60_000);
}

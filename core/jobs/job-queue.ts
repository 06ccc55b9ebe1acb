export type JobHandler = (payload: Record<string, unknown>) => Promise<void>;

export interface EnqueueOptions {
  delayMs?: number;
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
  define(name: string, owner: string, handler: JobHandler): () => void;
  /** Persists the job and returns its id. */
  enqueue(name: string, payload: Record<string, unknown>, options?: EnqueueOptions): Promise<string>;
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

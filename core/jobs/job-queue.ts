export type JobHandler = (payload: Record<string, unknown>) => Promise<void>;

export interface EnqueueOptions {
  delayMs?: number;
  maxAttempts?: number;
}

/** Background work: persisted, retried with backoff, run by a worker in this process or on Redis. */
export interface JobQueue {
  readonly kind: 'database' | 'redis';
  define(name: string, owner: string, handler: JobHandler): () => void;
  enqueue(name: string, payload: Record<string, unknown>, options?: EnqueueOptions): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves when no job is due or running; tests and the CLI use it to wait for background work. */
  idle(timeoutMs?: number): Promise<void>;
}

export function backoffMs(attempt: number): number {
  return Math.min(1000 * 2 ** (attempt - 1), 10 * 60_000);
}

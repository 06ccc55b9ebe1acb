import { DelayedError, Job, Queue, Worker, type ConnectionOptions } from 'bullmq';
import { log } from '../log';
import type { EnqueueOptions, JobHandler, JobInfo, JobQueue, JobStatus } from './job-queue';

const NO_HANDLER_RETRY_MS = 2000;

/** BullMQ on Redis (`REDIS_URL`): the same contract as the database queue, shared by every instance. */
export class RedisQueue implements JobQueue {
  readonly kind = 'redis' as const;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private readonly connection: ConnectionOptions;

  constructor(
    redisUrl: string,
    private readonly queueName = 'agora-jobs',
  ) {
    const url = new URL(redisUrl);
    this.connection = {
      host: url.hostname,
      port: Number(url.port || 6379),
      password: url.password || undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      maxRetriesPerRequest: null,
    };
    this.queue = new Queue(queueName, { connection: this.connection });
  }

  define(name: string, _owner: string, handler: JobHandler): () => void {
    this.handlers.set(name, handler);
    return () => {
      if (this.handlers.get(name) === handler) this.handlers.delete(name);
    };
  }

  async enqueue(name: string, payload: Record<string, unknown>, options: EnqueueOptions = {}): Promise<string> {
    const job = await this.queue.add(name, payload, {
      delay: options.delayMs,
      attempts: options.maxAttempts ?? 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
    return String(job.id);
  }

  async get(id: string): Promise<JobInfo | undefined> {
    const job = await Job.fromId(this.queue, id);
    if (!job) return undefined;
    const state = await job.getState();
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
      { connection: this.connection, concurrency: 4 },
    );
    this.worker.on('failed', (job, err) => log.warn({ job: job?.name, err }, 'job failed'));
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }

  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (counts.waiting + counts.active + counts.prioritized === 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('jobs did not become idle in time');
  }
}

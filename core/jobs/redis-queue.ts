import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { log } from '../log';
import type { EnqueueOptions, JobHandler, JobQueue } from './job-queue';

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

  async enqueue(name: string, payload: Record<string, unknown>, options: EnqueueOptions = {}): Promise<void> {
    await this.queue.add(name, payload, {
      delay: options.delayMs,
      attempts: options.maxAttempts ?? 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
  }

  async start(): Promise<void> {
    this.worker = new Worker(
      this.queueName,
      async (job) => {
        const handler = this.handlers.get(job.name);
        if (!handler) throw new Error(`no handler for job "${job.name}"`);
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

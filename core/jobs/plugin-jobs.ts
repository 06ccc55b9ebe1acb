import type { Disposer } from '../hooks';
import type { EnqueueOptions, JobQueue, ScheduleOptions } from './job-queue';
import type { JobHandler, JobName, JobPayload, PluginJobName, ResolveJobName, UnambiguousJobName } from './job-map';

/**
 * `ctx.jobs`: a plugin's jobs, typed by the JobMap. A name may be written without the plugin's prefix
 * (`record` in plugin hello is `hello.record`) while no other plugin declares a job of that short name;
 * the full name always works, and is what the docs recommend.
 */
export interface PluginJobs {
  /** Defines the handler of a job; removed on deactivation. */
  define<S extends PluginJobName>(name: UnambiguousJobName<S>, handler: JobHandler<ResolveJobName<S>>): Disposer;
  /**
   * Persists a job and returns its id (see platform.jobs.get). With `tx` (or inside a managed
   * transaction, the ambient one) it is written with that change and runs only if it commits; a
   * `dedupeKey` already used returns the first job's id instead of adding one.
   */
  enqueue<S extends PluginJobName>(name: UnambiguousJobName<S>, payload: JobPayload<ResolveJobName<S>>, options?: EnqueueOptions): Promise<string>;
  /** Runs the job at each due time of `cron` (UTC), once across all instances; removed on deactivation. */
  schedule<S extends PluginJobName>(name: UnambiguousJobName<S>, cron: string, options?: ScheduleOptions<ResolveJobName<S>>): Disposer;
}

/** `track` keeps a disposer for deactivation; `onDispose` one that deactivation awaits. */
export function createPluginJobs(
  jobs: JobQueue,
  owner: string,
  track: (d: Disposer) => Disposer,
  onDispose: (fn: () => Promise<void>) => void,
): PluginJobs {
  // At run time the name is prefixed with the plugin's own; the types above say the same.
  const full = (name: string) => (name.startsWith(`${owner}.`) ? name : `${owner}.${name}`) as JobName;
  return {
    define: (name, handler) => track(jobs.define(full(name), owner, handler as JobHandler)),
    enqueue: (name, payload, options) => jobs.enqueue(full(name), payload as JobPayload<JobName>, options),
    schedule: (name, cron, options) => {
      const remove = jobs.schedule(full(name), owner, cron, options as ScheduleOptions);
      // Deactivation waits until the schedule's row is gone; a plugin calling the disposer itself need not.
      onDispose(remove);
      return () => void remove().catch(() => undefined);
    },
  };
}

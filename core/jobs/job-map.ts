/**
 * Every job name mapped to its payload. Core declares its own below; each plugin adds its jobs by
 * declaration merging, in the file that defines them:
 *
 *   declare module '../../core/jobs/job-map' {
 *     interface JobMap { 'shops.checkout-mails': { groupId: number; instructions: string } }
 *   }
 *
 * Names are full (`<owner>.<job>`). A payload is stored as JSON, so it holds plain data only.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface JobMap {}

export type JobName = keyof JobMap & string;
export type JobPayload<N extends JobName> = JobMap[N];
export type JobHandler<N extends JobName = JobName> = (payload: JobPayload<N>) => Promise<void>;

/**
 * A job name as a plugin may write it to `ctx.jobs`: full (`hello.record`) or without the plugin's
 * prefix (`record`, which the context prefixes). Resolves to the full name(s) it can stand for, or
 * `never` for a name no plugin declared.
 */
export type ResolveJobName<S extends string> = S extends JobName ? S : Extract<JobName, `${string}.${S}`>;
/** Every declared name without its owner's prefix (`hello.record` → `record`). */
export type ShortJobName = { [N in JobName]: N extends `${string}.${infer Rest}` ? Rest : never }[JobName];
/** What `ctx.jobs` accepts: a declared name, full or short. A misspelt one is a compile error. */
export type PluginJobName = JobName | ShortJobName;

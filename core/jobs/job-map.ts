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

/** A job name without its owner's prefix: what follows the first dot (`hello.record` → `record`). */
type Short<N extends string> = N extends `${infer _Owner}.${infer Rest}` ? Rest : never;
/** Every declared name without its owner's prefix. */
export type ShortJobName = Short<JobName>;
/** What `ctx.jobs` accepts as a name: a declared name, full or short. */
export type PluginJobName = JobName | ShortJobName;

/**
 * The full name(s) a name written to `ctx.jobs` stands for: itself when it is a full name, else every
 * declared name whose part after the owner is exactly it (the context prefixes the plugin's own name).
 */
export type ResolveJobName<S extends string> = S extends JobName ? S : { [N in JobName]: [Short<N>] extends [S] ? ([S] extends [Short<N>] ? N : never) : never }[JobName];

type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;
/**
 * `S` when it names one job; a message type (a compile error at the call, that says what to do) when a
 * short name fits jobs of several plugins.
 */
export type UnambiguousJobName<S extends string> = true extends IsUnion<ResolveJobName<S>> ? `job name "${S}" is declared by several plugins: write it in full` : S;

/**
 * The services plugins publish with `ctx.provide`, by plugin name. A plugin adds its own by declaration
 * merging, so that `ctx.service('shops')` is typed for its dependents:
 *
 *   declare module '@agora/core' { interface ServiceMap { shops: ShopsService } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ServiceMap {}

export type ServiceName = keyof ServiceMap & string;

import { pino, type Logger } from 'pino';

/** The one logger; plugins get children of it named for them. */
export const log: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: undefined,
});

export type { Logger };

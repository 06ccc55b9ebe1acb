import { pino, type Logger, type DestinationStream } from 'pino';
import { createRequire } from 'node:module';
import type { PinoPretty as PinoPrettyFactory } from 'pino-pretty';

export interface LogFormatOptions {
  /** Whether standard output is a terminal (a person reading), not a pipe or a file (a log collector). */
  tty?: boolean;
  /** LOG_FORMAT: `pretty` or `json` forces the format; anything else lets the terminal decide. */
  format?: string;
}

/** Readable lines for a person at a terminal; one JSON object per line for everything that collects logs. */
export function logFormat({ tty = process.stdout.isTTY === true, format = process.env.LOG_FORMAT }: LogFormatOptions = {}): 'pretty' | 'json' {
  if (format === 'pretty' || format === 'json') return format;
  return tty ? 'pretty' : 'json';
}

/**
 * pino-pretty as a stream in this process (not a transport worker): a worker thread would not load under
 * tsx, and a terminal is a person watching, where the cost of formatting in-process does not matter. Written
 * synchronously, so the last lines before a crash or an exit are not lost.
 */
export function logDestination(format: 'pretty' | 'json'): DestinationStream | undefined {
  if (format !== 'pretty') return undefined;
  // Loaded for a terminal only: a server writing JSON does not carry the formatter (about 30 modules) in memory.
  const { PinoPretty } = createRequire(import.meta.url)('pino-pretty') as { PinoPretty: typeof PinoPrettyFactory };
  return PinoPretty({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true });
}

const options = {
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: undefined,
};
const destination = logDestination(logFormat());

/** The one logger; plugins get children of it named for them. Without a destination pino writes JSON to stdout. */
export const log: Logger = destination ? pino(options, destination) : pino(options);

export type { Logger };

import { pino } from 'pino';
import { log } from '../../../../core/log';

/**
 * Everything the app logs while a test runs, at every level: the root logger's level is lowered (its children,
 * made without a level of their own, read it through their prototype) and its stream's writes are kept.
 * Tests log nothing by default (LOG_LEVEL silent), so a scan of the log output needs this to see anything.
 */
export function captureLog(): { lines: string[]; stop(): void } {
  const lines: string[] = [];
  const stream = (log as unknown as Record<symbol, { write(line: string): boolean }>)[pino.symbols.streamSym];
  const write = stream.write;
  const level = log.level;
  stream.write = (line: string) => {
    lines.push(line);
    return true;
  };
  log.level = 'trace';
  return {
    lines,
    stop() {
      stream.write = write;
      log.level = level;
    },
  };
}

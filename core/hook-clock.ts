import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The time a hook listener's budget counts: the time since it was called, less the time it spent waiting for
 * the database to give it a turn (a pooled PostgreSQL connection, SQLite's one writer). A burst of 100
 * payments on a pool of 10 makes the last listeners wait seconds for a connection; that is the platform's
 * queue, not the plugin's fault, and must not suspend the plugin. A listener that hangs while it holds a
 * connection, or waits on anything else (a remote API, a promise that never settles), spends its own time.
 *
 * The waiting is forgiven up to an allowance (HooksOptions.databaseWaitAllowanceMs, 30 s by default): a listener
 * stuck behind a turn that never comes (another listener hanging while it holds SQLite's writer) is still
 * abandoned and counted in the end, so a plugin that jams the database cannot hide behind its own jam.
 *
 * A listener called from inside another one (a hook fired by a listener) has its own clock; its waits pause
 * the outer clocks too, since the outer listener is waiting on it.
 */
export class ListenerClock {
  private waitedMs = 0;
  private waits = 0;
  private waitingSince = 0;

  constructor(
    private readonly startedAt: number,
    private readonly parent: ListenerClock | undefined,
  ) {}

  /** Milliseconds the listener has run on its own account: its time less its database waits, up to `allowanceMs` of them. */
  ownMs(allowanceMs: number, now = performance.now()): number {
    return now - this.startedAt - Math.min(this.waitedForDatabaseMs(now), allowanceMs);
  }

  /** Milliseconds spent waiting for the database so far. */
  waitedForDatabaseMs(now = performance.now()): number {
    return this.waitedMs + (this.waits > 0 ? now - this.waitingSince : 0);
  }

  pause(now: number): void {
    // Waits may overlap (queries run side by side with Promise.all): the clock stops at the first, runs at the last.
    if (this.waits++ === 0) this.waitingSince = now;
    this.parent?.pause(now);
  }

  resume(now: number): void {
    if (--this.waits === 0) this.waitedMs += now - this.waitingSince;
    this.parent?.resume(now);
  }
}

const clocks = new AsyncLocalStorage<ListenerClock>();

/** Calls a listener with a clock of its own, started now, that follows it through its awaits. */
export function callOnClock<A extends unknown[], R>(fn: (...args: A) => R, args: A): { clock: ListenerClock; value: R } {
  const clock = new ListenerClock(performance.now(), clocks.getStore());
  return { clock, value: clocks.run(clock, fn, ...args) };
}

/**
 * Runs `acquire`, the wait for a turn at the database, with the calling listener's clock (if any) stopped.
 * Core's database layer calls it around every connection acquisition and SQLite's transaction queue.
 */
export async function waitingForDatabase<T>(acquire: () => Promise<T>): Promise<T> {
  const clock = clocks.getStore();
  if (!clock) return acquire();
  clock.pause(performance.now());
  try {
    return await acquire();
  } finally {
    clock.resume(performance.now());
  }
}

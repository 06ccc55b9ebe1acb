import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { Hooks } from '../core/hooks';
import { pino } from 'pino';

declare module '@agora/core' {
  interface ActionMap {
    'bench.thing.happened': [payload: { n: number }];
  }
  interface FilterMap {
    'bench.value': [value: number, payload: { n: number }];
  }
}

/** One line of the result: the cost of dispatching to `listeners` listeners, three ways. */
export interface HookBenchRow {
  listeners: number;
  /** Operations per second of `await hooks.do(...)`. */
  doPerSec: number;
  /** Operations per second of `await hooks.apply(...)`. */
  applyPerSec: number;
  /** Operations per second of `emitter.emit(...)` with the same listeners (synchronous, no isolation). */
  emitPerSec: number;
  /** How many times slower `hooks.do` is than `emit` (1 = as fast). */
  doVsEmit: number;
  applyVsEmit: number;
}

export interface HookBenchOptions {
  /** Time spent measuring each case; more is steadier. */
  durationMs?: number;
  listenerCounts?: number[];
}

/**
 * Measures what a hook costs next to Node's EventEmitter, with 0, 1 and 10 listeners that do the same
 * trivial work. Plain loops timed with process.hrtime.bigint; every case is warmed up first.
 */
export async function runHookBench(options: HookBenchOptions = {}): Promise<HookBenchRow[]> {
  const durationMs = options.durationMs ?? 300;
  const rows: HookBenchRow[] = [];
  for (const count of options.listenerCounts ?? [0, 1, 10]) {
    // A silent logger: the benchmark measures dispatch, not logging.
    const hooks = new Hooks({ logger: pino({ level: 'silent' }) });
    const emitter = new EventEmitter();
    emitter.setMaxListeners(count + 1);
    let sink = 0;
    for (let i = 0; i < count; i++) {
      const work = (payload: { n: number }) => {
        sink += payload.n;
      };
      hooks.on(`bench-${i}`, 'bench.thing.happened', work);
      hooks.filter(`bench-${i}`, 'bench.value', (value, payload) => value + payload.n);
      emitter.on('bench', work);
    }
    const payload = { n: 1 };
    const doPerSec = await measure(durationMs, () => hooks.do('bench.thing.happened', payload));
    const applyPerSec = await measure(durationMs, async () => {
      sink += await hooks.apply('bench.value', 0, payload);
    });
    const emitPerSec = measureSync(durationMs, () => {
      emitter.emit('bench', payload);
    });
    if (sink < 0) console.log(sink); // keeps the work from being optimised away
    rows.push({
      listeners: count,
      doPerSec: Math.round(doPerSec),
      applyPerSec: Math.round(applyPerSec),
      emitPerSec: Math.round(emitPerSec),
      doVsEmit: round(emitPerSec / doPerSec),
      applyVsEmit: round(emitPerSec / applyPerSec),
    });
  }
  return rows;
}

const BATCH = 1000;

async function measure(durationMs: number, op: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < BATCH * 5; i++) await op();
  const budget = BigInt(durationMs) * 1_000_000n;
  const start = process.hrtime.bigint();
  let ops = 0;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < BATCH; i++) await op();
    ops += BATCH;
    elapsed = process.hrtime.bigint() - start;
  }
  return ops / (Number(elapsed) / 1e9);
}

function measureSync(durationMs: number, op: () => void): number {
  for (let i = 0; i < BATCH * 5; i++) op();
  const budget = BigInt(durationMs) * 1_000_000n;
  const start = process.hrtime.bigint();
  let ops = 0;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < BATCH; i++) op();
    ops += BATCH;
    elapsed = process.hrtime.bigint() - start;
  }
  return ops / (Number(elapsed) / 1e9);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

export function formatHookBench(rows: HookBenchRow[]): string {
  const header = ['listeners', 'hooks.do ops/s', 'hooks.apply ops/s', 'emit ops/s', 'do vs emit', 'apply vs emit'];
  const cells = rows.map((r) => [String(r.listeners), r.doPerSec.toLocaleString('en'), r.applyPerSec.toLocaleString('en'), r.emitPerSec.toLocaleString('en'), `${r.doVsEmit}×`, `${r.applyVsEmit}×`]);
  const width = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(width[i]) : x.padStart(width[i]))).join('  ');
  return [line(header), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const durationMs = Number(process.env.BENCH_HOOKS_MS ?? 500);
  runHookBench({ durationMs })
    .then((rows) => {
      console.log(`Hooks against EventEmitter.emit (${durationMs} ms per case; "vs emit" = times slower)`);
      console.log(formatHookBench(rows));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

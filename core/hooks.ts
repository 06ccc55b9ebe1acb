import { log as rootLog, type Logger } from './log';
import { callOnClock, type ListenerClock } from './hook-clock';

/**
 * Every action Agora knows, name → argument tuple. Plugins add theirs by declaration merging:
 *   declare module '../../core/hooks' { interface ActionMap { 'shops.order.paid': [order: Order] } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ActionMap {}

/** Every filter, name → [value, ...extra arguments]. The first element is the value being shaped. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface FilterMap {}

export type ActionName = keyof ActionMap & string;
export type FilterName = keyof FilterMap & string;
type ActionArgs<N extends ActionName> = ActionMap[N] extends unknown[] ? ActionMap[N] : never;
type FilterTuple<N extends FilterName> = FilterMap[N] extends [unknown, ...unknown[]] ? FilterMap[N] : never;
export type FilterValue<N extends FilterName> = FilterTuple<N>[0];
export type FilterExtra<N extends FilterName> = FilterTuple<N> extends [unknown, ...infer R] ? R : never;

export type ActionListener<N extends ActionName> = (...args: ActionArgs<N>) => void | Promise<void>;
export type FilterListener<N extends FilterName> = (
  value: FilterValue<N>,
  ...args: FilterExtra<N>
) => FilterValue<N> | Promise<FilterValue<N>>;

export interface ListenerOptions {
  /** Lower runs first; default 10. Must be finite: there is no "run me last". */
  priority?: number;
  /** Run before every listener of this plugin on the same hook. */
  before?: string;
  /** Run after every listener of this plugin on the same hook. */
  after?: string;
  /**
   * Time this async listener may take before it is abandoned and counted as a failure; default the
   * platform's budget (5 s). Time spent waiting for a database connection (or SQLite's writer) is not
   * counted: see ./hook-clock. For one-off work such as seeding a demo store, at most 10 minutes.
   */
  budgetMs?: number;
}

export interface ListenerInfo {
  hook: string;
  kind: 'action' | 'filter';
  owner: string;
  priority: number;
  before?: string;
  after?: string;
}

type AnyFn = (...args: unknown[]) => unknown;

interface Listener extends ListenerInfo {
  fn: AnyFn;
  seq: number;
  budgetMs?: number;
}

export interface HookFailure {
  owner: string;
  hook: string;
  error: string;
  at: Date;
}

export interface HooksOptions {
  logger?: Logger;
  /**
   * An async listener that has run this long on its own account (time waiting for a database connection
   * excluded, up to `databaseWaitAllowanceMs`) without settling is abandoned and counted as a failure.
   */
  budgetMs?: number;
  /** Of a listener's waits for a database connection, how much is not counted against its budget (default 30 s). */
  databaseWaitAllowanceMs?: number;
  slowMs?: number;
  /** Failures of one plugin within `failureWindowMs` that suspend it. */
  failureLimit?: number;
  failureWindowMs?: number;
}

export type Disposer = () => void;

class ListenerTimeout extends Error {}

const MAX_BUDGET_MS = 10 * 60_000;

/** What invoke returns for a listener that threw or timed out: never a value a listener can return. */
const FAILED: unique symbol = Symbol('failed');

/**
 * Actions and filters. Listeners are kept per hook in run order; each change replaces the array, so a
 * dispatch in flight keeps iterating its own snapshot and nobody is skipped or run twice.
 */
export class Hooks {
  private readonly ordered = new Map<string, readonly Listener[]>();
  private readonly deprecated = new Map<string, { replacement: string; since: string; warned: Set<string> }>();
  private readonly failures = new Map<string, number[]>();
  private readonly suspendHandlers: Array<(failure: HookFailure) => void> = [];
  private readonly log: Logger;
  private readonly budgetMs: number;
  private readonly waitAllowanceMs: number;
  private readonly slowMs: number;
  private readonly failureLimit: number;
  private readonly failureWindowMs: number;
  private seq = 0;
  readonly recentFailures: HookFailure[] = [];

  constructor(options: HooksOptions = {}) {
    this.log = options.logger ?? rootLog.child({ component: 'hooks' });
    this.budgetMs = options.budgetMs ?? 5000;
    this.waitAllowanceMs = options.databaseWaitAllowanceMs ?? 30_000;
    this.slowMs = options.slowMs ?? 100;
    this.failureLimit = options.failureLimit ?? 5;
    this.failureWindowMs = options.failureWindowMs ?? 60_000;
  }

  on<N extends ActionName>(owner: string, name: N, fn: ActionListener<N>, options?: ListenerOptions): Disposer {
    return this.add('action', owner, name, fn as AnyFn, options);
  }

  filter<N extends FilterName>(owner: string, name: N, fn: FilterListener<N>, options?: ListenerOptions): Disposer {
    return this.add('filter', owner, name, fn as AnyFn, options);
  }

  /** Runs every listener of an action in order, awaiting each; a failing listener is logged and skipped. */
  async do<N extends ActionName>(name: N, ...args: ActionArgs<N>): Promise<void> {
    const listeners = this.ordered.get(name) ?? this.forwarded(name);
    if (!listeners) return;
    for (const listener of listeners) {
      const outcome = this.invoke(listener, args);
      // Only an async listener costs an await; a synchronous one runs straight through.
      if (outcome instanceof Promise) await outcome;
    }
  }

  /** Passes a value through every listener of a filter; a failing listener is skipped and the value passes on. */
  async apply<N extends FilterName>(name: N, value: FilterValue<N>, ...args: FilterExtra<N>): Promise<FilterValue<N>> {
    const listeners = this.ordered.get(name) ?? this.forwarded(name);
    if (!listeners) return value;
    let current = value;
    for (const listener of listeners) {
      let outcome = this.invoke(listener, [current, ...args]);
      if (outcome instanceof Promise) outcome = await outcome;
      if (outcome !== FAILED) current = outcome as FilterValue<N>;
    }
    return current;
  }

  has(name: ActionName | FilterName): boolean {
    return this.ordered.has(name);
  }

  /** Listeners of one hook in the order they run. */
  listeners(name: string): ListenerInfo[] {
    return (this.ordered.get(name) ?? []).map(info);
  }

  /** Every hook with its listeners in run order, for the admin's hooks page. */
  all(): Array<{ hook: string; listeners: ListenerInfo[] }> {
    return [...this.ordered.keys()].sort().map((hook) => ({ hook, listeners: this.listeners(hook) }));
  }

  /** Removes every listener a plugin registered, on every hook. */
  removeOwner(owner: string): void {
    for (const [name, list] of this.ordered) {
      if (list.some((l) => l.owner === owner)) this.store(name, list.filter((l) => l.owner !== owner));
    }
    this.failures.delete(owner);
  }

  /** Keeps an old hook name working: listeners registered on it move to the replacement, with one warning per plugin. */
  deprecate(oldName: string, replacement: ActionName | FilterName, since: string): void {
    this.deprecated.set(oldName, { replacement, since, warned: new Set() });
  }

  /** Called when a plugin's listeners have failed too often; the plugin manager suspends it. */
  onSuspend(handler: (failure: HookFailure) => void): void {
    this.suspendHandlers.push(handler);
  }

  private add(kind: 'action' | 'filter', owner: string, requested: string, fn: AnyFn, options: ListenerOptions = {}): Disposer {
    const priority = options.priority ?? 10;
    if (!Number.isFinite(priority)) {
      throw new RangeError(`Hook priority must be a finite number (${owner} on ${requested} asked for ${priority})`);
    }
    const name = this.resolveDeprecated(owner, requested);
    const budgetMs = options.budgetMs;
    if (budgetMs !== undefined && !(Number.isFinite(budgetMs) && budgetMs > 0 && budgetMs <= MAX_BUDGET_MS)) {
      throw new RangeError(`A listener's budget must be between 1 ms and ${MAX_BUDGET_MS} ms (${owner} on ${requested} asked for ${budgetMs})`);
    }
    const listener: Listener = { hook: name, kind, owner, priority, before: options.before, after: options.after, fn, seq: this.seq++, budgetMs };
    this.store(name, [...(this.ordered.get(name) ?? []), listener]);
    let disposed = false;
    return () => {
      if (disposed) return;
      disposed = true;
      const list = this.ordered.get(name);
      if (list) this.store(name, list.filter((l) => l !== listener));
    };
  }

  /** A hook fired under its deprecated name reaches the listeners of its replacement. */
  private forwarded(name: string): readonly Listener[] | undefined {
    if (this.deprecated.size === 0) return undefined;
    const dep = this.deprecated.get(name);
    return dep ? this.ordered.get(dep.replacement) : undefined;
  }

  private resolveDeprecated(owner: string, name: string): string {
    const dep = this.deprecated.get(name);
    if (!dep) return name;
    if (!dep.warned.has(owner)) {
      dep.warned.add(owner);
      this.log.warn({ plugin: owner, hook: name, replacement: dep.replacement, since: dep.since }, `hook "${name}" is deprecated since ${dep.since}; use "${dep.replacement}"`);
    }
    return dep.replacement;
  }

  private store(name: string, list: Listener[]): void {
    if (list.length === 0) this.ordered.delete(name);
    else this.ordered.set(name, Object.freeze(order(list)));
  }

  /** Runs one listener: its value, FAILED when it threw, or a promise of either when it is async. */
  private invoke(listener: Listener, args: unknown[]): unknown {
    let called: { clock: ListenerClock; value: unknown };
    try {
      called = callOnClock(listener.fn, args);
    } catch (error) {
      this.recordFailure(listener, error);
      return FAILED;
    }
    const { clock, value } = called;
    if (value instanceof Promise) return this.settle(listener, value, clock);
    this.checkSlow(listener, clock);
    return value;
  }

  private async settle(listener: Listener, promise: Promise<unknown>, clock: ListenerClock): Promise<unknown> {
    try {
      const value = await this.withinBudget(promise, listener.budgetMs ?? this.budgetMs, clock);
      this.checkSlow(listener, clock);
      return value;
    } catch (error) {
      this.recordFailure(listener, error);
      return FAILED;
    }
  }

  private checkSlow(listener: Listener, clock: ListenerClock): void {
    const own = clock.ownMs(this.waitAllowanceMs);
    if (own > this.slowMs) {
      this.log.warn({ plugin: listener.owner, hook: listener.hook, ms: Math.round(own), waitedForDatabaseMs: Math.round(clock.waitedForDatabaseMs()) }, 'slow hook listener');
    }
  }

  /**
   * Settles with the listener, or rejects once it has spent `budgetMs` of its own time. The timer is set for
   * what is left of the budget and set again when it fires early because part of the time was a database wait.
   */
  private withinBudget(promise: Promise<unknown>, budgetMs: number, clock: ListenerClock): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      const check = () => {
        const left = budgetMs - clock.ownMs(this.waitAllowanceMs);
        if (left <= 0) {
          reject(new ListenerTimeout(`listener exceeded its ${budgetMs} ms budget`));
          return;
        }
        timer = setTimeout(check, Math.max(1, Math.ceil(left)));
        timer.unref();
      };
      timer = setTimeout(check, budgetMs);
      timer.unref();
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  private recordFailure(listener: Listener, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log.error({ plugin: listener.owner, hook: listener.hook, err: error }, 'hook listener failed');
    const failure: HookFailure = { owner: listener.owner, hook: listener.hook, error: message, at: new Date() };
    this.recentFailures.unshift(failure);
    this.recentFailures.length = Math.min(this.recentFailures.length, 50);
    if (listener.owner === 'core') return;
    const now = Date.now();
    const times = (this.failures.get(listener.owner) ?? []).filter((t) => now - t < this.failureWindowMs);
    times.push(now);
    this.failures.set(listener.owner, times);
    if (times.length >= this.failureLimit) {
      this.failures.delete(listener.owner);
      for (const handler of this.suspendHandlers) handler(failure);
    }
  }
}

function info(l: Listener): ListenerInfo {
  return { hook: l.hook, kind: l.kind, owner: l.owner, priority: l.priority, before: l.before, after: l.after };
}

/**
 * Run order: priority, then registration order, with `before`/`after` as hard constraints. A listener
 * placed before (after) a plugin first takes that plugin's lowest (highest) priority, so it runs right
 * next to it rather than pushing the plugin around; then a topological sort honours every constraint.
 * The result depends only on the listeners, never on the history of how they were added.
 */
function order(list: Listener[]): Listener[] {
  const constrained = list.filter((l) => l.before || l.after);
  if (constrained.length === 0) return [...list].sort(byPriority);
  const effective = new Map(list.map((l) => [l, l.priority]));
  const ofOwner = (owner: string | undefined, self: Listener) => list.filter((m) => m.owner === owner && m.owner !== self.owner);
  // Chains (a after b after c) settle in at most one pass per listener.
  for (let pass = 0; pass < list.length; pass++) {
    let changed = false;
    for (const l of constrained) {
      const others = ofOwner(l.before ?? l.after, l).map((m) => effective.get(m)!);
      if (others.length === 0) continue;
      const current = effective.get(l)!;
      const next = l.before ? Math.min(current, ...others) : Math.max(current, ...others);
      if (next !== current) {
        effective.set(l, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const mustFollow = new Map<Listener, Set<Listener>>(list.map((l) => [l, new Set()]));
  for (const l of constrained) {
    for (const m of ofOwner(l.before ?? l.after, l)) {
      if (l.before) mustFollow.get(m)!.add(l);
      else mustFollow.get(l)!.add(m);
    }
  }
  const key = (a: Listener, b: Listener) => effective.get(a)! - effective.get(b)! || a.seq - b.seq;
  const remaining = [...list].sort(key);
  const out: Listener[] = [];
  while (remaining.length) {
    // The first listener whose predecessors have all run; on a cycle of constraints, simply the first.
    let at = remaining.findIndex((l) => [...mustFollow.get(l)!].every((m) => !remaining.includes(m)));
    if (at < 0) at = 0;
    out.push(remaining.splice(at, 1)[0]);
  }
  return out;
}

function byPriority(a: Listener, b: Listener): number {
  return a.priority - b.priority || a.seq - b.seq;
}

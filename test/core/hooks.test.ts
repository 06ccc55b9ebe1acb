import { Writable } from 'node:stream';
import { expect } from 'chai';
import { pino } from 'pino';
import { Hooks, type HookFailure } from '../../core/hooks';
import type { Logger } from '../../core/log';

// Hook names that exist only in this test, declared the way a plugin declares its own.
declare module '@agora/core' {
  interface ActionMap {
    'test.thing.happened': [what: string];
    'test.order.placed': [id: number, total: number];
    /** @deprecated since 2.0.0: use test.order.created */
    'test.order.made': [id: number, total: number];
    'test.order.created': [id: number, total: number];
  }
  interface FilterMap {
    'test.title': [title: string, context: { page: string }];
    'test.count': [count: number];
  }
}

/** A pino logger whose lines the test can read. */
function captureLog(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino<never>({ level: 'debug' }, stream), lines };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Hooks', () => {
  describe('order', () => {
    it('runs lower priorities first and ties in registration order', async () => {
      const hooks = new Hooks();
      const ran: string[] = [];
      hooks.on('c', 'test.thing.happened', () => void ran.push('c:20'), { priority: 20 });
      hooks.on('a', 'test.thing.happened', () => void ran.push('a:10'));
      hooks.on('b', 'test.thing.happened', () => void ran.push('b:10'));
      hooks.on('d', 'test.thing.happened', () => void ran.push('d:-5'), { priority: -5 });
      hooks.on('e', 'test.thing.happened', () => void ran.push('e:10'), { priority: 10 });
      await hooks.do('test.thing.happened', 'x');
      expect(ran).to.deep.equal(['d:-5', 'a:10', 'b:10', 'e:10', 'c:20']);
    });

    it('puts a listener before or after every listener of a named plugin, whatever the priorities', async () => {
      const hooks = new Hooks();
      const ran: string[] = [];
      hooks.on('shops', 'test.thing.happened', () => void ran.push('shops-1'), { priority: 1 });
      hooks.on('shops', 'test.thing.happened', () => void ran.push('shops-2'), { priority: 30 });
      // Priority alone would run these first and last; before/after wins.
      hooks.on('audit', 'test.thing.happened', () => void ran.push('audit'), { priority: 0, after: 'shops' });
      hooks.on('guard', 'test.thing.happened', () => void ran.push('guard'), { priority: 99, before: 'shops' });
      hooks.on('other', 'test.thing.happened', () => void ran.push('other'), { priority: 20 });
      await hooks.do('test.thing.happened', 'x');
      expect(ran.indexOf('guard')).to.be.below(ran.indexOf('shops-1'));
      expect(ran.indexOf('audit')).to.be.above(ran.indexOf('shops-2'));
      expect(ran.indexOf('other')).to.be.above(ran.indexOf('shops-1')).and.below(ran.indexOf('shops-2'));
    });

    it('honours chains of before/after whatever order the listeners were registered in', async () => {
      const defs: Array<[string, number, { after?: string; before?: string }]> = [
        ['reader', 1, { after: 'writer' }],
        ['writer', 5, { after: 'source' }],
        ['source', 50, {}],
        ['gate', 70, { before: 'source' }],
      ];
      const permutations = (xs: typeof defs): Array<typeof defs> =>
        xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
      for (const registration of permutations(defs)) {
        const hooks = new Hooks();
        const ran: string[] = [];
        for (const [owner, priority, where] of registration) hooks.on(owner, 'test.thing.happened', () => void ran.push(owner), { priority, ...where });
        await hooks.do('test.thing.happened', 'x');
        expect(ran, `registered as ${registration.map((d) => d[0]).join(', ')}`).to.deep.equal(['gate', 'source', 'writer', 'reader']);
      }
    });

    it('lists the listeners of a hook in run order, and every hook with listeners()/all()', () => {
      const hooks = new Hooks();
      hooks.on('b', 'test.thing.happened', () => {}, { priority: 20 });
      hooks.on('a', 'test.thing.happened', () => {}, { priority: 5, before: 'c' });
      hooks.filter('c', 'test.title', (t) => t);
      expect(hooks.listeners('test.thing.happened').map((l) => [l.owner, l.priority, l.kind])).to.deep.equal([
        ['a', 5, 'action'],
        ['b', 20, 'action'],
      ]);
      expect(hooks.listeners('test.thing.happened')[0].before).to.equal('c');
      expect(hooks.all().map((h) => [h.hook, h.listeners.map((l) => l.owner)])).to.deep.equal([
        ['test.thing.happened', ['a', 'b']],
        ['test.title', ['c']],
      ]);
      expect(hooks.has('test.title')).to.equal(true);
      expect(hooks.has('test.count')).to.equal(false);
    });

    it('refuses ±Infinity and NaN as a priority', () => {
      const hooks = new Hooks();
      expect(() => hooks.on('p', 'test.thing.happened', () => {}, { priority: Infinity })).to.throw(RangeError, /finite/);
      expect(() => hooks.filter('p', 'test.count', (n) => n, { priority: -Infinity })).to.throw(RangeError, /finite/);
      expect(() => hooks.on('p', 'test.thing.happened', () => {}, { priority: NaN })).to.throw(RangeError);
      expect(hooks.has('test.thing.happened')).to.equal(false);
    });
  });

  describe('dispatch', () => {
    it('awaits async action listeners one after another, in order', async () => {
      const hooks = new Hooks();
      const events: string[] = [];
      hooks.on('slow', 'test.order.placed', async (id) => {
        events.push(`slow start ${id}`);
        await new Promise((r) => setTimeout(r, 20));
        events.push('slow end');
      });
      hooks.on('fast', 'test.order.placed', async (_id, total) => {
        events.push(`fast ${total}`);
      });
      await hooks.do('test.order.placed', 7, 1250);
      expect(events).to.deep.equal(['slow start 7', 'slow end', 'fast 1250']);
    });

    it('passes a filter value through every listener, sync and async, with the extra arguments', async () => {
      const hooks = new Hooks();
      hooks.filter('a', 'test.title', (title, ctx) => `${title} · ${ctx.page}`);
      hooks.filter('b', 'test.title', async (title) => title.toUpperCase(), { priority: 20 });
      expect(await hooks.apply('test.title', 'Shop', { page: 'home' })).to.equal('SHOP · HOME');
      expect(await hooks.apply('test.count', 3)).to.equal(3);
    });

    it('removes a listener through its disposer, once', async () => {
      const hooks = new Hooks();
      const ran: string[] = [];
      const dispose = hooks.on('a', 'test.thing.happened', (w) => void ran.push(`a ${w}`));
      hooks.on('b', 'test.thing.happened', (w) => void ran.push(`b ${w}`));
      await hooks.do('test.thing.happened', '1');
      dispose();
      dispose();
      await hooks.do('test.thing.happened', '2');
      expect(ran).to.deep.equal(['a 1', 'b 1', 'b 2']);
      expect(hooks.listeners('test.thing.happened').map((l) => l.owner)).to.deep.equal(['b']);
    });

    it('removes every listener of a plugin with removeOwner', async () => {
      const hooks = new Hooks();
      hooks.on('gone', 'test.thing.happened', () => {});
      hooks.filter('gone', 'test.count', (n) => n + 1);
      hooks.filter('kept', 'test.count', (n) => n * 10);
      hooks.removeOwner('gone');
      expect(hooks.has('test.thing.happened')).to.equal(false);
      expect(await hooks.apply('test.count', 1)).to.equal(10);
    });

    it('iterates a snapshot: a listener added or removed during dispatch skips nobody', async () => {
      const hooks = new Hooks();
      const ran: string[] = [];
      let disposeB = () => {};
      hooks.on('a', 'test.thing.happened', () => {
        ran.push('a');
        disposeB();
        hooks.on('late', 'test.thing.happened', () => void ran.push('late'), { priority: 0 });
      });
      disposeB = hooks.on('b', 'test.thing.happened', () => void ran.push('b'));
      hooks.on('c', 'test.thing.happened', () => void ran.push('c'));
      await hooks.do('test.thing.happened', 'first');
      // The dispatch in flight ran what was registered when it started, no more and no less.
      expect(ran).to.deep.equal(['a', 'b', 'c']);
      ran.length = 0;
      await hooks.do('test.thing.happened', 'second');
      // The listener added during the first dispatch runs now; the one added during this dispatch, next time.
      expect(ran).to.deep.equal(['late', 'a', 'c']);
      expect(hooks.listeners('test.thing.happened').filter((l) => l.owner === 'late')).to.have.length(2);
    });

    it('costs nothing to fire a hook nobody listens to', async () => {
      const hooks = new Hooks();
      await hooks.do('test.thing.happened', 'nobody');
      expect(await hooks.apply('test.count', 5)).to.equal(5);
    });
  });

  describe('typed names', () => {
    it('makes a misspelt name or a wrong argument a compile error', async () => {
      const hooks = new Hooks();
      const seen: unknown[] = [];
      hooks.on('p', 'test.order.placed', (id, total) => void seen.push(id + total));
      // @ts-expect-error -- a misspelt hook name does not compile
      hooks.on('p', 'test.order.placd', () => {});
      // @ts-expect-error -- the total must be a number
      await hooks.do('test.order.placed', 1, 'ten');
      // @ts-expect-error -- a filter listener must return the value's type
      hooks.filter('p', 'test.count', (n) => `${n}`);
      // @ts-expect-error -- the value of test.title is a string
      await hooks.apply('test.title', 5, { page: 'x' });
      await hooks.do('test.order.placed', 2, 3);
      expect(seen).to.include(5);
    });
  });

  describe('isolation', () => {
    it('keeps running the other action listeners when one throws, and logs the plugin and hook', async () => {
      const { logger, lines } = captureLog();
      const hooks = new Hooks({ logger });
      const ran: string[] = [];
      hooks.on('first', 'test.thing.happened', () => void ran.push('first'));
      hooks.on('broken', 'test.thing.happened', () => {
        throw new Error('listener exploded');
      });
      hooks.on('async-broken', 'test.thing.happened', async () => {
        await tick();
        throw new Error('async listener exploded');
      });
      hooks.on('last', 'test.thing.happened', () => void ran.push('last'));
      await hooks.do('test.thing.happened', 'x');
      expect(ran).to.deep.equal(['first', 'last']);
      const errors = lines.filter((l) => l.msg === 'hook listener failed');
      expect(errors.map((l) => [l.plugin, l.hook])).to.deep.equal([
        ['broken', 'test.thing.happened'],
        ['async-broken', 'test.thing.happened'],
      ]);
      expect(hooks.recentFailures[0]).to.include({ owner: 'async-broken', hook: 'test.thing.happened', error: 'async listener exploded' });
    });

    it('skips a throwing filter listener and passes the value on unchanged', async () => {
      const hooks = new Hooks({ logger: captureLog().logger });
      hooks.filter('double', 'test.count', (n) => n * 2);
      hooks.filter('broken', 'test.count', () => {
        throw new Error('bad filter');
      });
      hooks.filter('rejecting', 'test.count', () => Promise.reject(new Error('bad async filter')));
      hooks.filter('plus-one', 'test.count', (n) => n + 1);
      expect(await hooks.apply('test.count', 5)).to.equal(11);
    });

    it('abandons an async listener that never settles once its time budget is spent', async () => {
      const { logger, lines } = captureLog();
      const hooks = new Hooks({ logger, budgetMs: 30 });
      const ran: string[] = [];
      hooks.on('stuck', 'test.thing.happened', () => new Promise<void>(() => {}));
      hooks.on('after', 'test.thing.happened', () => void ran.push('after'));
      hooks.filter('stuck', 'test.count', () => new Promise<number>(() => {}));
      hooks.filter('after', 'test.count', (n) => n + 1);
      await hooks.do('test.thing.happened', 'x');
      expect(ran).to.deep.equal(['after']);
      expect(await hooks.apply('test.count', 1)).to.equal(2);
      const failure = lines.find((l) => l.msg === 'hook listener failed' && l.plugin === 'stuck');
      expect(failure, 'the abandoned listener is logged').to.exist;
      expect(hooks.recentFailures.map((f) => f.error)).to.include('listener exceeded its 30 ms budget');
    });

    it('lets one listener ask for a longer budget (one-off work such as the demo seed), within a bound', async () => {
      const { logger } = captureLog();
      const hooks = new Hooks({ logger, budgetMs: 20 });
      const finished: string[] = [];
      const slow = (who: string) => () => new Promise<void>((resolve) => setTimeout(() => resolve(void finished.push(who)), 60));
      hooks.on('seeder', 'test.thing.happened', slow('seeder'), { budgetMs: 1000 });
      hooks.on('plain', 'test.thing.happened', slow('plain'));
      await hooks.do('test.thing.happened', 'x');
      expect(hooks.recentFailures.map((f) => f.owner)).to.deep.equal(['plain']);
      expect(finished).to.include('seeder');
      expect(() => hooks.on('greedy', 'test.thing.happened', () => undefined, { budgetMs: 11 * 60_000 })).to.throw(RangeError);
      expect(() => hooks.on('greedy', 'test.thing.happened', () => undefined, { budgetMs: 0 })).to.throw(RangeError);
    });

    it('logs a slow listener with its plugin', async () => {
      const { logger, lines } = captureLog();
      const hooks = new Hooks({ logger, slowMs: 5 });
      hooks.on('sluggish', 'test.thing.happened', () => new Promise<void>((r) => setTimeout(r, 25)));
      hooks.on('quick', 'test.thing.happened', () => {});
      await hooks.do('test.thing.happened', 'x');
      const slow = lines.filter((l) => l.msg === 'slow hook listener');
      expect(slow.map((l) => [l.plugin, l.hook])).to.deep.equal([['sluggish', 'test.thing.happened']]);
    });

    it('suspends a plugin whose listeners keep failing, telling onSuspend the owner and hook', async () => {
      const hooks = new Hooks({ logger: captureLog().logger, failureLimit: 3 });
      const suspended: HookFailure[] = [];
      hooks.onSuspend((f) => suspended.push(f));
      hooks.on('flaky', 'test.thing.happened', () => {
        throw new Error('always');
      });
      hooks.on('core', 'test.thing.happened', () => {
        throw new Error('core fails too');
      });
      await hooks.do('test.thing.happened', '1');
      await hooks.do('test.thing.happened', '2');
      expect(suspended).to.have.length(0);
      await hooks.do('test.thing.happened', '3');
      // core is never suspended: it has nothing to fall back to.
      expect(suspended.map((f) => [f.owner, f.hook, f.error])).to.deep.equal([['flaky', 'test.thing.happened', 'always']]);
    });

    it('counts only failures within the window toward suspension', async () => {
      const hooks = new Hooks({ logger: captureLog().logger, failureLimit: 2, failureWindowMs: 20 });
      const suspended: HookFailure[] = [];
      hooks.onSuspend((f) => suspended.push(f));
      hooks.on('rare', 'test.thing.happened', () => {
        throw new Error('now and then');
      });
      await hooks.do('test.thing.happened', '1');
      await new Promise((r) => setTimeout(r, 40));
      await hooks.do('test.thing.happened', '2');
      expect(suspended).to.have.length(0);
    });
  });

  describe('deprecation', () => {
    it('moves a listener on an old name to the new one and warns once per plugin', async () => {
      const { logger, lines } = captureLog();
      const hooks = new Hooks({ logger });
      hooks.deprecate('test.order.made', 'test.order.created', '2.0.0');
      const seen: string[] = [];
      hooks.on('legacy', 'test.order.made', (id) => void seen.push(`legacy ${id}`));
      hooks.on('legacy', 'test.order.made', (id) => void seen.push(`legacy again ${id}`));
      hooks.on('modern', 'test.order.created', (id) => void seen.push(`modern ${id}`));
      await hooks.do('test.order.created', 4, 100);
      expect(seen).to.deep.equal(['legacy 4', 'legacy again 4', 'modern 4']);
      expect(hooks.listeners('test.order.created').map((l) => l.owner)).to.deep.equal(['legacy', 'legacy', 'modern']);
      expect(hooks.has('test.order.made')).to.equal(false);
      const warnings = lines.filter((l) => l.hook === 'test.order.made');
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.include({ plugin: 'legacy', replacement: 'test.order.created', since: '2.0.0' });
    });

    it('delivers a hook fired under its old name to the listeners of the new one', async () => {
      const hooks = new Hooks({ logger: captureLog().logger });
      hooks.deprecate('test.order.made', 'test.order.created', '2.0.0');
      const seen: number[] = [];
      hooks.on('modern', 'test.order.created', (id) => void seen.push(id));
      await hooks.do('test.order.made', 9, 1);
      expect(seen).to.deep.equal([9]);
    });
  });
});

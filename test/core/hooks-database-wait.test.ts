import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createDatabase, tuneDatabase } from '../../core/db/database';
import { Hooks, type HookFailure } from '../../core/hooks';
import { createTestDatabase, usePostgres, type TestDatabase } from '../helpers/database';

declare module '@agora/core' {
  interface ActionMap {
    'test.payment.paid': [orderNo: number];
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A listener's time budget counts its own time, not the time it waits for the database to give it a turn
 * (docs/plugins.md, "Time budget"). 100 payments at once, each listener holding a connection (PostgreSQL,
 * pool of 10) or SQLite's one writer for 20 ms: the last of them wait well over the 250 ms budget for their
 * turn and none is at fault. A listener that hangs on its own still gets the plugin suspended, and so, after
 * the wait allowance, do the listeners stuck behind one that hangs holding the database.
 */
describe('hooks: a listener waiting for a database connection is not spending its budget', function () {
  this.timeout(60_000);
  // A budget generous beside the listeners' own work (a shared CI machine can be slow), and holds long enough
  // that the last listeners of the burst wait 2.5 s, well over it: 100 × 25 ms on SQLite's one writer,
  // 100 × 250 ms / 10 connections on PostgreSQL.
  const BURST_BUDGET_MS = 1000;
  const HOLD_MS = usePostgres ? 250 : 25;
  const BUDGET_MS = 250;
  let dir: string;
  let db: TestDatabase;
  let sequelize: Sequelize;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-hook-wait-'));
    db = await createTestDatabase(path.join(dir, 'agora.sqlite'));
    sequelize = createDatabase(db.url);
    await tuneDatabase(sequelize);
    await sequelize.query('CREATE TABLE paid_orders (order_no INTEGER PRIMARY KEY, note VARCHAR(40) NOT NULL)');
  });
  after(async () => {
    await sequelize.close();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function hooksWithSuspensions({ budgetMs = BUDGET_MS, databaseWaitAllowanceMs = 30_000 } = {}) {
    const hooks = new Hooks({ budgetMs, databaseWaitAllowanceMs, failureLimit: 5, failureWindowMs: 60_000 });
    const suspended: HookFailure[] = [];
    hooks.onSuspend((failure) => suspended.push(failure));
    return { hooks, suspended };
  }

  const paidCount = async () => Number((await sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM paid_orders', { type: QueryTypes.SELECT }))[0].n);

  it('runs a burst of 100 payments that queue for connections without a failure or a suspension', async () => {
    const { hooks, suspended } = hooksWithSuspensions({ budgetMs: BURST_BUDGET_MS });
    let longestWaitMs = 0;
    hooks.on('shops', 'test.payment.paid', async (orderNo) => {
      const queued = performance.now();
      await sequelize.transaction(async () => {
        longestWaitMs = Math.max(longestWaitMs, performance.now() - queued);
        await sequelize.query('INSERT INTO paid_orders (order_no, note) VALUES (?, ?)', { replacements: [orderNo, 'paid'] });
        await sleep(HOLD_MS); // the listener's own work, holding its connection (or SQLite's writer)
      });
    });
    await Promise.all(Array.from({ length: 100 }, (_, i) => hooks.do('test.payment.paid', i + 1)));

    expect(longestWaitMs, 'the burst did make listeners wait longer than the budget').to.be.greaterThan(BURST_BUDGET_MS * 2);
    expect(hooks.recentFailures, 'no listener was abandoned').to.deep.equal([]);
    expect(suspended).to.deep.equal([]);
    expect(await paidCount()).to.equal(100);
  });

  it('still suspends a plugin whose listener hangs while it holds a connection (and those stuck behind it, after the allowance)', async () => {
    const ALLOWANCE_MS = 400;
    const { hooks, suspended } = hooksWithSuspensions({ databaseWaitAllowanceMs: ALLOWANCE_MS });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Let go in any case before the test's own timeout, so no later test finds the database held.
    setTimeout(() => release(), 20_000).unref();
    hooks.on('stuck', 'test.payment.paid', async (orderNo) => {
      // Not waiting for the database: holding it, and waiting on something that does not come.
      await sequelize.transaction(async () => {
        await sequelize.query('SELECT 1', { type: QueryTypes.SELECT });
        await released;
      });
      void orderNo;
    });
    try {
      const started = performance.now();
      // One at a time, as payments usually come. On PostgreSQL each holds a connection of its own and is
      // abandoned after its budget; on SQLite the first holds the one writer and the next ones wait for it,
      // forgiven for ALLOWANCE_MS, then abandoned too.
      for (let i = 0; i < 5; i++) await hooks.do('test.payment.paid', 1000 + i);
      expect(performance.now() - started).to.be.lessThan((BUDGET_MS + ALLOWANCE_MS) * 5 + 3000);
      expect(hooks.recentFailures.map((f) => f.error)).to.deep.equal(Array(5).fill(`listener exceeded its ${BUDGET_MS} ms budget`));
      expect(suspended.map((f) => f.owner)).to.deep.equal(['stuck']);
    } finally {
      release();
    }
  });

  it('still suspends a plugin whose listener never settles, whatever it waited for before', async () => {
    const { hooks, suspended } = hooksWithSuspensions();
    hooks.on('hanging', 'test.payment.paid', async () => {
      await sequelize.query('SELECT 1', { type: QueryTypes.SELECT });
      await new Promise<void>(() => undefined);
    });
    await Promise.all(Array.from({ length: 5 }, (_, i) => hooks.do('test.payment.paid', 2000 + i)));
    expect(hooks.recentFailures).to.have.length(5);
    expect(suspended.map((f) => [f.owner, f.error])).to.deep.equal([['hanging', `listener exceeded its ${BUDGET_MS} ms budget`]]);
  });

  it(`keeps ${usePostgres ? 'PostgreSQL' : 'SQLite'} waits off the clock of a listener fired from inside another listener too`, async () => {
    const { hooks, suspended } = hooksWithSuspensions({ budgetMs: BURST_BUDGET_MS });
    let blocker: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (blocker = resolve));
    // Every connection (or the writer) taken for three budgets by work outside any listener.
    const holders = Array.from({ length: usePostgres ? 10 : 1 }, () => sequelize.transaction(async () => {
      await sequelize.query('SELECT 1', { type: QueryTypes.SELECT });
      await blocked;
    }));
    setTimeout(blocker, BURST_BUDGET_MS * 3);
    hooks.on('outer', 'test.payment.paid', async (orderNo) => {
      if (orderNo === 3000) await hooks.do('test.payment.paid', 3001);
    });
    hooks.on('inner', 'test.payment.paid', async (orderNo) => {
      if (orderNo === 3001) await sequelize.transaction(() => sequelize.query('INSERT INTO paid_orders (order_no, note) VALUES (3001, ?)', { replacements: ['nested'] }));
    });
    await hooks.do('test.payment.paid', 3000);
    await Promise.all(holders);
    expect(hooks.recentFailures).to.deep.equal([]);
    expect(suspended).to.deep.equal([]);
    expect((await sequelize.query<{ note: string }>('SELECT note FROM paid_orders WHERE order_no = 3001', { type: QueryTypes.SELECT }))[0].note).to.equal('nested');
  });
});

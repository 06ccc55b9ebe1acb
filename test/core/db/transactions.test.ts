import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { DataTypes, Model, QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { createDatabase, tuneDatabase } from '../../../core/db/database';
import { afterCommit, currentTransaction, inTransaction } from '../../../core/db/transaction';
import { createTestDatabase, type TestDatabase } from '../../helpers/database';

/** A bound on waits that would otherwise hang: a deadlock fails the test instead of the suite. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms (deadlock?)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Db {
  sequelize: Sequelize;
  db: TestDatabase;
  dir: string;
}

async function openDb(): Promise<Db> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-tx-'));
  const db = await createTestDatabase(path.join(dir, 'agora.sqlite'));
  const sequelize = createDatabase(db.url);
  await tuneDatabase(sequelize);
  return { sequelize, db, dir };
}

async function closeDb({ sequelize, db, dir }: Db): Promise<void> {
  await sequelize.close();
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A service that knows nothing of transactions: it writes with the model and with raw SQL. */
class Note extends Model {
  declare id: number;
  declare body: string;
}
const service = {
  addNote: (body: string) => Note.create({ body }),
  addRaw: (sequelize: Sequelize, body: string) => sequelize.query('INSERT INTO tx_test_notes (body) VALUES (?)', { replacements: [body] }),
};

async function bodies(sequelize: Sequelize): Promise<string[]> {
  // transaction: null reads what is committed, from outside any transaction.
  const rows = await sequelize.query<{ body: string }>('SELECT body FROM tx_test_notes ORDER BY id', { type: QueryTypes.SELECT, transaction: null });
  return rows.map((r) => r.body);
}

describe('ambient transactions', () => {
  let a: Db;

  before(async () => {
    a = await openDb();
    await a.sequelize.query(
      a.sequelize.getDialect() === 'postgres'
        ? 'CREATE TABLE tx_test_notes (id SERIAL PRIMARY KEY, body VARCHAR(100) NOT NULL UNIQUE)'
        : 'CREATE TABLE tx_test_notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body VARCHAR(100) NOT NULL UNIQUE)',
    );
    Note.init({ id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true }, body: DataTypes.STRING(100) }, { sequelize: a.sequelize, tableName: 'tx_test_notes', timestamps: false });
  });
  after(async () => closeDb(a));
  beforeEach(async () => {
    await a.sequelize.query('DELETE FROM tx_test_notes');
  });

  it('lets a service called inside a transaction join it without being passed the transaction', async () => {
    const failure = await a.sequelize
      .transaction(async () => {
        await service.addNote('model write');
        await service.addRaw(a.sequelize, 'raw write');
        // Inside, the service's writes are seen (they are on this transaction's connection) ...
        const inside = await a.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM tx_test_notes', { type: QueryTypes.SELECT });
        expect(Number(inside[0].n)).to.equal(2);
        // ... and not yet by anyone outside it.
        if (a.sequelize.getDialect() === 'postgres') expect(await bodies(a.sequelize)).to.deep.equal([]);
        throw new Error('changed my mind');
      })
      .catch((e: Error) => e);
    expect(failure).to.be.instanceOf(Error);
    expect(await bodies(a.sequelize), 'the rollback took the service writes back too').to.deep.equal([]);

    await a.sequelize.transaction(async () => {
      await service.addNote('kept');
    });
    expect(await bodies(a.sequelize)).to.deep.equal(['kept']);
  });

  it('gives the transaction to currentTransaction() inside and nothing outside', async () => {
    expect(currentTransaction(a.sequelize)).to.equal(undefined);
    let seen: Transaction | undefined;
    let given: Transaction | undefined;
    await inTransaction(a.sequelize, async (t) => {
      given = t;
      seen = currentTransaction(a.sequelize);
    });
    expect(seen).to.equal(given);
    expect(currentTransaction(a.sequelize)).to.equal(undefined);
  });

  it('runs a nested managed transaction as a savepoint of the outer one, without deadlock (also on SQLite)', async () => {
    await within(
      5000,
      'nested transaction',
      a.sequelize.transaction(async () => {
        await service.addNote('outer');
        await a.sequelize.transaction(async () => {
          await service.addNote('inner');
        });
        // The inner one committed with the outer: nobody outside sees it yet.
        if (a.sequelize.getDialect() === 'postgres') expect(await bodies(a.sequelize)).to.deep.equal([]);
        // A failing inner one, caught, takes back only its own writes.
        await a.sequelize
          .transaction(async () => {
            await service.addNote('inner, rolled back');
            throw new Error('inner fails');
          })
          .catch(() => undefined);
      }),
    );
    expect(await bodies(a.sequelize)).to.deep.equal(['outer', 'inner']);
  });

  it('does not deadlock when the outer transaction is passed down explicitly (what the old comment warned about)', async () => {
    await within(
      5000,
      'explicitly nested transaction',
      a.sequelize.transaction(async (outer) => {
        await Note.create({ body: 'outer' }, { transaction: outer });
        await a.sequelize.transaction({ transaction: outer }, async (inner) => {
          await Note.create({ body: 'inner' }, { transaction: inner });
        });
      }),
    );
    expect(await bodies(a.sequelize)).to.deep.equal(['outer', 'inner']);
  });

  it('runs a model method that opens its own transaction (findOrCreate) inside the ambient one', async () => {
    await within(
      5000,
      'findOrCreate in a transaction',
      a.sequelize.transaction(async () => {
        const [note, created] = await Note.findOrCreate({ where: { body: 'found or made' } });
        expect(created).to.equal(true);
        expect(note.body).to.equal('found or made');
      }),
    );
    expect(await bodies(a.sequelize)).to.deep.equal(['found or made']);
  });

  it('still serializes separate root transactions on SQLite, and runs them all', async () => {
    await within(
      10_000,
      'parallel transactions',
      Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          a.sequelize.transaction(async () => {
            await service.addNote(`parallel ${i}`);
            await new Promise((r) => setTimeout(r, 5));
          }),
        ),
      ),
    );
    expect(await bodies(a.sequelize)).to.have.length(8);
  });

  it('runs afterCommit hooks after the outermost commit only, and never after a rollback', async () => {
    const events: string[] = [];
    await a.sequelize.transaction(async (outer) => {
      await a.sequelize.transaction(async (inner) => {
        afterCommit(inner, () => void events.push('inner'));
      });
      events.push('savepoint done');
      afterCommit(outer, () => void events.push('outer'));
    });
    await new Promise((r) => setImmediate(r)); // the commit does not wait for them
    expect(events).to.deep.equal(['savepoint done', 'inner', 'outer']);

    await a.sequelize
      .transaction(async (t) => {
        afterCommit(t, () => void events.push('rolled back'));
        throw new Error('no');
      })
      .catch(() => undefined);
    await new Promise((r) => setImmediate(r));
    expect(events).not.to.include('rolled back');
  });

  it('does not hand a finished transaction to work that outlives it (a timer set inside)', async () => {
    let later: Promise<unknown> | undefined;
    await a.sequelize.transaction(async () => {
      later = new Promise((resolve, reject) => {
        setTimeout(() => {
          service.addNote('after the commit').then(resolve, reject);
        }, 50);
      });
    });
    await later;
    expect(await bodies(a.sequelize)).to.deep.equal(['after the commit']);
  });

  describe('with a second Sequelize instance in the process (another platform)', () => {
    let b: Db;
    before(async () => {
      b = await openDb();
      await b.sequelize.query('CREATE TABLE tx_test_only_b (id INTEGER PRIMARY KEY)');
    });
    after(async () => closeDb(b));

    it('never lets one instance pick up the transaction of another', async () => {
      await a.sequelize.transaction(async (ta) => {
        expect(currentTransaction(a.sequelize)).to.equal(ta);
        expect(currentTransaction(b.sequelize), 'b has no ambient transaction').to.equal(undefined);
        // Were b to use a's transaction, this would run on a's database, which has no such table.
        await b.sequelize.query('INSERT INTO tx_test_only_b (id) VALUES (1)');
        await b.sequelize.transaction(async (tb) => {
          expect((tb as Transaction & { parent?: Transaction }).parent, "b's transaction is its own root").to.equal(undefined);
          expect(currentTransaction(a.sequelize), "a's stays ambient for a").to.equal(ta);
          await b.sequelize.query('INSERT INTO tx_test_only_b (id) VALUES (2)');
        });
        await service.addNote('a, while b worked');
      });
      const rows = await b.sequelize.query<{ id: number }>('SELECT id FROM tx_test_only_b ORDER BY id', { type: QueryTypes.SELECT });
      expect(rows.map((r) => Number(r.id))).to.deep.equal([1, 2]);
      expect(await bodies(a.sequelize)).to.deep.equal(['a, while b worked']);
    });
  });
});

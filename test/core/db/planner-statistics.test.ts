import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { createDatabase } from '../../../core/db/database';
import { migrateUp } from '../../../core/db/migrator';

/** core/db/planner-statistics.ts: an index added by a migration to an analyzed SQLite store gets its statistics. */
describe('planner statistics after migrations (SQLite)', function () {
  this.timeout(60_000);
  it('analyzes again when a migration adds an index to a store that has statistics, so the planner keeps the right index', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-stats-'));
    const sequelize = createDatabase(`sqlite:${path.join(dir, 'stats.sqlite')}`);
    try {
      await sequelize.query('CREATE TABLE items (id INTEGER PRIMARY KEY, status TEXT, published_at TEXT, price INTEGER)');
      await sequelize.query('CREATE INDEX items_status_published ON items (status, published_at, id)');
      await sequelize.query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO items SELECT i, 'published', printf('2026-01-%05d', i), i % 97 FROM n");
      await sequelize.query('ANALYZE');
      const migrations = path.join(dir, 'migrations');
      fs.mkdirSync(migrations);
      fs.writeFileSync(
        path.join(migrations, '0001-price-index.js'),
        "export async function up({ context }) { await context.sequelize.query('CREATE INDEX items_status_price ON items (status, price, id)'); }\nexport async function down() {}\n",
      );
      expect(await migrateUp(sequelize, 'stats-test', migrations)).to.deep.equal(['0001-price-index']);
      const stats = await sequelize.query<{ idx: string }>("SELECT idx FROM sqlite_stat1 WHERE tbl = 'items'", { type: QueryTypes.SELECT });
      expect(stats.map((s) => s.idx)).to.include('items_status_price');
      const plan = await sequelize.query<{ detail: string }>("EXPLAIN QUERY PLAN SELECT id FROM items WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT 48", { type: QueryTypes.SELECT });
      expect(plan.map((p) => p.detail).join(' | ')).to.contain('items_status_published').and.not.contain('TEMP B-TREE');
    } finally {
      await sequelize.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

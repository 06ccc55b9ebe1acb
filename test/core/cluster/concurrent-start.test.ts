import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import supertest from 'supertest';
import { startTestApp, type TestApp } from '../../helpers/app';
import { createTestDatabase, usePostgres } from '../../helpers/database';

/**
 * Two instances started at the same moment on one empty PostgreSQL database (a deploy that starts every
 * instance at once): one runs the migrations and makes the first plugin states and admin, the other waits on
 * the advisory lock and finds them made. Without the lock, both run CREATE TABLE and one fails to start.
 */
describe('two instances starting at once on an empty database', function () {
  this.timeout(180_000);
  const apps: TestApp[] = [];
  let dataDir: string;

  before(function () {
    if (!usePostgres) this.skip(); // several instances need PostgreSQL: run with DB=postgres
  });
  after(async () => {
    for (const t of apps.slice(1)) await t.stop();
    await apps[0]?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates once, creates one admin and one state per plugin, and both serve', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-test-'));
    const db = await createTestDatabase(path.join(dataDir, 'agora.sqlite'));
    const started = await Promise.allSettled([0, 1].map(() => startTestApp({ plugins: ['shops', 'reviews'], reuse: { dataDir, db } })));
    for (const s of started) if (s.status === 'fulfilled') apps.push(s.value);
    const failures = started.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason));
    expect(failures).to.deep.equal([]);
    const [first, second] = apps;
    const query = <T extends object>(sql: string) => first.platform.sequelize.query<T>(sql, { type: QueryTypes.SELECT });
    const twice = await query<{ owner: string; name: string }>('SELECT owner, name FROM agora_migrations GROUP BY owner, name HAVING COUNT(*) > 1');
    expect(twice).to.deep.equal([]);
    const owners = (await query<{ owner: string }>('SELECT DISTINCT owner FROM agora_migrations ORDER BY owner')).map((r) => r.owner);
    expect(owners).to.deep.equal(['core', 'reviews', 'shops']);
    const admins = await query<{ n: string }>("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'");
    expect(Number(admins[0].n)).to.equal(1);
    const states = await query<{ name: string; status: string }>('SELECT name, status FROM plugin_states ORDER BY name');
    expect(states.map((s) => [s.name, s.status])).to.deep.equal([
      ['reviews', 'active'],
      ['shops', 'active'],
    ]);
    for (const t of [first, second]) {
      expect(t.platform.plugins.isActive('reviews')).to.equal(true);
      await supertest(t.app).get('/products').expect(200);
    }
  });
});

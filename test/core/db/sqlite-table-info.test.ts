import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { sqliteDriver } from '../../../core/db/sqlite-driver';

type Db = InstanceType<typeof sqliteDriver.Database>;

const open = (file: string) =>
  new Promise<Db>((resolve, reject) => {
    const db: Db = new sqliteDriver.Database(file, (error: Error | null) => (error ? reject(error) : resolve(db)));
  });
const exec = (db: Db, sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (e) => (e ? reject(e) : resolve())));
const columns = (db: Db, table: string) =>
  new Promise<string[]>((resolve, reject) => db.all(`PRAGMA table_info(\`${table}\`)`, (e: Error | null, rows: Array<{ name: string }>) => (e ? reject(e) : resolve(rows.map((r) => r.name)))));
const close = (db: Db) => new Promise<void>((resolve) => db.close(() => resolve()));

describe('SQLite table-info memory (core/db/sqlite-driver)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-table-info-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps one memory per database file: two databases with a same-named table see their own columns', async () => {
    const a = await open(path.join(dir, 'a.sqlite'));
    const b = await open(path.join(dir, 'b.sqlite'));
    await exec(a, 'CREATE TABLE things (id INTEGER PRIMARY KEY, colour TEXT)');
    await exec(b, 'CREATE TABLE things (id INTEGER PRIMARY KEY, weight INTEGER, label TEXT)');
    expect(await columns(a, 'things')).to.deep.equal(['id', 'colour']);
    // Asked second, after a's answer is in memory: a process-wide memory keyed by table name gave a's columns.
    expect(await columns(b, 'things')).to.deep.equal(['id', 'weight', 'label']);
    expect(await columns(a, 'things')).to.deep.equal(['id', 'colour']);
    await Promise.all([close(a), close(b)]);
  });

  it('shares the memory between connections of one file, and a schema change on any of them empties it', async () => {
    const file = path.join(dir, 'c.sqlite');
    const first = await open(file);
    const second = await open(file);
    await exec(first, 'CREATE TABLE notes (id INTEGER PRIMARY KEY)');
    expect(await columns(first, 'notes')).to.deep.equal(['id']);
    await exec(second, 'ALTER TABLE notes ADD COLUMN body TEXT');
    expect(await columns(first, 'notes')).to.deep.equal(['id', 'body']);
    await Promise.all([close(first), close(second)]);
  });

});

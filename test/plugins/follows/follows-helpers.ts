import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { QueryTypes } from 'sequelize';
import type supertest from 'supertest';
import { rootDir } from '../../../core/config';
import { csrfFrom, type TestApp } from '../../helpers/app';

/** A module of the follows plugin by the URL the plugin manager loads it from: the same instance, with bound models. */
export function followsModule<T>(relative: string): Promise<T> {
  return import(pathToFileURL(path.join(rootDir, 'plugins', 'follows', relative)).href) as Promise<T>;
}

export type FollowsModels = typeof import('../../../plugins/follows/models');
export const followsModels = () => followsModule<FollowsModels>('models/index.ts');

/** Changes some follows settings, keeping the others. */
export async function setFollowsSettings(t: TestApp, changes: Record<string, unknown>): Promise<void> {
  const current = t.platform.settings.get<Record<string, unknown>>('follows');
  await t.platform.options.set('settings.follows', { ...current, ...changes });
}

let batchSeq = 0;

/**
 * `count` people following the shop, written in bulk (users and follow rows), for fan-outs of thousands.
 * Their addresses are `<prefix>-<i>@followers.test`; `emailOff` turns follow emails off for all of them.
 */
export async function bulkFollowers(t: TestApp, shopId: number, count: number, options: { emailOff?: boolean; prefix?: string } = {}): Promise<number[]> {
  const prefix = options.prefix ?? `f${++batchSeq}x${Date.now() % 100000}`;
  const sequelize = t.platform.sequelize;
  const now = new Date();
  const ids: number[] = [];
  for (let start = 0; start < count; start += 500) {
    const n = Math.min(500, count - start);
    const rows = Array.from({ length: n }, (_, k) => start + k);
    await sequelize.transaction(async (tx) => {
      const values = rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
      const replacements = rows.flatMap((i) => [`${prefix}-${i}`, `${prefix}-${i}@followers.test`, 'Follower', `${i}`, `Follower ${i}`, 'x', '1990-01-01', 'customer', now, now, now]);
      await sequelize.query(
        `INSERT INTO users (username, email, first_name, last_name, display_name, password_hash, birth_date, role, email_verified_at, created_at, updated_at) VALUES ${values}`,
        { replacements, transaction: tx },
      );
      const created = await sequelize.query<{ id: number }>('SELECT id FROM users WHERE username LIKE ? ORDER BY id', { replacements: [`${prefix}-%`], type: QueryTypes.SELECT, transaction: tx });
      const fresh = created.map((r) => Number(r.id)).filter((id) => !ids.includes(id));
      ids.push(...fresh);
      await sequelize.query(`INSERT INTO follows_follows (user_id, shop_id, email_enabled, created_at) VALUES ${fresh.map(() => '(?, ?, ?, ?)').join(', ')}`, {
        replacements: fresh.flatMap((id) => [id, shopId, !options.emailOff, now]),
        transaction: tx,
      });
    });
  }
  return ids;
}

/** Posts a form of a page with that page's CSRF token. */
export async function postFrom(agent: supertest.Agent, pageUrl: string, action: string, body: Record<string, string | string[]> = {}) {
  const token = csrfFrom((await agent.get(pageUrl)).text);
  return agent.post(action).type('form').send({ _csrf: token, ...body });
}

/** Counts of a table's rows matching a where clause, by raw SQL (any plugin's table). */
export async function countRows(t: TestApp, table: string, where = '1 = 1', replacements: unknown[] = []): Promise<number> {
  const [row] = await t.platform.sequelize.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, { replacements, type: QueryTypes.SELECT });
  return Number(row.n);
}

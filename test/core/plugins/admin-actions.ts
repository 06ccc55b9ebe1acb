import type supertest from 'supertest';
import type { TestApp } from '../../helpers/app';
import { tokenFor } from '../../helpers/app';

/** Presses a button on /admin/plugins (activate, deactivate) as the logged-in admin would. */
export async function pluginAction(agent: supertest.Agent, name: string, action: 'activate' | 'deactivate'): Promise<supertest.Response> {
  const token = await tokenFor(agent, '/admin/plugins');
  // Deactivating is confirmed on its own page (/admin/plugins/:name/deactivate), whose button sends confirm=yes.
  return agent.post(`/admin/plugins/${name}/${action}`).type('form').send({ _csrf: token, ...(action === 'deactivate' ? { confirm: 'yes' } : {}) });
}

/** The status badge of one plugin's row on /admin/plugins. */
export async function statusOnAdminPage(agent: supertest.Agent, name: string): Promise<string | undefined> {
  const res = await agent.get('/admin/plugins');
  const row = new RegExp(`<tr data-plugin="${name}">([\\s\\S]*?)</tr>`).exec(res.text)?.[1] ?? '';
  return /class="badge badge-[a-z]+">([a-z]+)</.exec(row)?.[1];
}

export async function tableExists(t: TestApp, table: string): Promise<boolean> {
  const tables = await t.platform.sequelize.getQueryInterface().showAllTables();
  return tables.map((x) => (typeof x === 'string' ? x : (x as { tableName: string }).tableName)).includes(table);
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type supertest from 'supertest';
import { startTestApp, createUser, login, loginAsAdmin, csrfFrom, ADMIN, type TestApp } from '../../helpers/app';
import { createTestDatabase } from '../../helpers/database';
import { User } from '../../../core/auth/user-model';
import { submit } from './support';

/**
 * An installed plugin that calls `ctx.roles.grant` the way the shops plugin does when someone opens a shop.
 * It lives in the app's data folder (installed plugins are loaded from there) and imports '@agora/core'.
 */
function writeProbePlugin(dataDir: string): void {
  const dir = path.join(dataDir, 'plugins', 'role-probe');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  fs.writeFileSync(path.join(dir, 'plugin.json'), JSON.stringify({ name: 'role-probe', version: '1.0.0', title: 'Role probe' }));
  fs.writeFileSync(
    path.join(dir, 'index.ts'),
    `import { definePlugin, requireUser } from '@agora/core';
export default definePlugin({
  setup(ctx) {
    ctx.router.post('/role-probe/become-seller', requireUser, async (req, res) => {
      const change = await ctx.roles.grant(req, req.user, 'seller');
      res.flash('success', change ? 'You are a seller now.' : 'Nothing changed.');
      res.redirect(303, '/account');
    });
  },
});
`,
  );
}

/** The session id cookie a response set, if it set one. */
function sessionCookie(res: supertest.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('agora.sid='))?.split(';')[0];
}

describe('roles', () => {
  let t: TestApp;
  before(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-test-'));
    writeProbePlugin(dataDir);
    const db = await createTestDatabase(path.join(dataDir, 'agora.sqlite'));
    t = await startTestApp({ plugins: ['role-probe'], reuse: { dataDir, db } });
  });
  after(async () => t.close());

  async function changeRole(admin: supertest.Agent, userId: number, role: string): Promise<supertest.Response> {
    const page = await admin.get('/admin/users').expect(200);
    return admin.post(`/admin/users/${userId}/role`).type('form').send({ _csrf: csrfFrom(page.text), role });
  }

  it("lets an admin change a user's role, and gives that user's session a new id on their next request", async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    const loginRes = await submit(agent, '/login', '/login', { login: user.email, password });
    const before = sessionCookie(loginRes);
    expect(before).to.be.a('string');

    const admin = t.agent();
    await loginAsAdmin(admin);
    const changes: string[] = [];
    const off = t.platform.hooks.on('test', 'core.user.role.changed', async (id, from, to) => void changes.push(`${id}:${from}->${to}`));
    try {
      const res = await changeRole(admin, user.id, 'moderator');
      expect(res.status).to.equal(303);
    } finally {
      off();
    }
    expect(changes).to.deep.equal([`${user.id}:customer->moderator`]);
    expect((await User.findByPk(user.id))!.role).to.equal('moderator');

    const next = await agent.get('/admin').expect(200);
    const after = sessionCookie(next);
    expect(after).to.be.a('string').and.not.equal(before);
    // Still logged in under the new id, and the old id is worth nothing.
    expect((await agent.get('/account')).status).to.equal(200);
    expect((await t.agent().get('/account').set('Cookie', before!)).status).to.equal(302);
  });

  it('refuses the role form to anyone without core.users.manage, whatever id they put in the URL', async () => {
    const { user: victim } = await createUser();
    const { user: customer, password } = await createUser();
    const agent = t.agent();
    await login(agent, customer.email, password);
    expect((await agent.get('/admin/users')).status).to.equal(403);
    const token = csrfFrom((await agent.get('/account')).text);
    for (const id of [victim.id, customer.id]) {
      const res = await agent.post(`/admin/users/${id}/role`).type('form').send({ _csrf: token, role: 'admin' });
      expect(res.status).to.equal(403);
    }
    expect((await User.findByPk(victim.id))!.role).to.equal('customer');
    expect((await User.findByPk(customer.id))!.role).to.equal('customer');

    const { user: moderator, password: modPassword } = await createUser({ role: 'moderator' });
    const mod = t.agent();
    await login(mod, moderator.email, modPassword);
    expect((await mod.get('/admin')).status).to.equal(200);
    const modToken = csrfFrom((await mod.get('/account')).text);
    expect((await mod.post(`/admin/users/${victim.id}/role`).type('form').send({ _csrf: modToken, role: 'seller' })).status).to.equal(403);
    expect((await User.findByPk(victim.id))!.role).to.equal('customer');
  });

  it('refuses an unknown role and an admin taking the admin role from themselves', async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const { user } = await createUser();
    await changeRole(admin, user.id, 'emperor');
    expect((await User.findByPk(user.id))!.role).to.equal('customer');
    expect((await admin.get('/admin/users')).text).to.contain('Choose one of the roles');

    const self = await User.findOne({ where: { email: ADMIN.email } });
    await changeRole(admin, self!.id, 'customer');
    expect((await User.findByPk(self!.id))!.role).to.equal('admin');
    expect((await admin.get('/admin/users')).text).to.contain('You cannot take the admin role from yourself');
  });

  it('lets a plugin grant a role with ctx.roles.grant: the session id changes at once and the person stays logged in', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    const before = sessionCookie(await submit(agent, '/login', '/login', { login: user.email, password }));
    const updated: string[][] = [];
    const off = t.platform.hooks.on('test', 'core.user.updated', async (_u, fields) => void updated.push(fields));
    let res: supertest.Response;
    try {
      res = await submit(agent, '/account', '/role-probe/become-seller', {});
    } finally {
      off();
    }
    expect(res.status).to.equal(303);
    const after = sessionCookie(res);
    expect(after).to.be.a('string').and.not.equal(before);
    expect(updated).to.deep.equal([['role']]);
    expect((await User.findByPk(user.id))!.role).to.equal('seller');
    const page = await agent.get('/account').expect(200);
    expect(page.text).to.contain('You are a seller now.');
    expect((await t.agent().get('/account').set('Cookie', before!)).status).to.equal(302);
  });

  it('never lowers a role through ctx.roles.grant: an admin who becomes a seller stays admin', async () => {
    const admin = t.agent();
    await loginAsAdmin(admin);
    const res = await submit(admin, '/account', '/role-probe/become-seller', {});
    expect(res.status).to.equal(303);
    expect((await User.findOne({ where: { email: ADMIN.email } }))!.role).to.equal('admin');
    expect((await admin.get('/account')).text).to.contain('Nothing changed.');
  });
});

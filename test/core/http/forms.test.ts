import crypto from 'node:crypto';
import { expect } from 'chai';
import { startTestApp, createUser, login, loginAsAdmin, csrfFrom, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';

/**
 * Every form of core/auth and the admin settings, sent what a browser would never send: missing fields,
 * arrays, nested objects, huge strings. Each answer is the form again with a message (422) or a refusal,
 * never a 500, and nothing is written.
 */
describe('form validation', () => {
  let t: TestApp;
  before(async () => {
    // Many wrong passwords are sent here: each test comes from its own address so the login limit stays out of the way.
    t = await startTestApp({ plugins: [], env: { TRUST_PROXY: '1' } });
  });
  after(async () => t.close());

  const agentFrom = (ip: string) => t.agent().set('X-Forwarded-For', ip);
  const newAddress = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

  const hostile: Array<Record<string, unknown>> = [
    {},
    { email: ['a@example.test', 'b@example.test'], password: ['x', 'y'], first_name: ['a'], birth_date: ['2000-01-01'] },
    { email: { $ne: 'x' }, login: { $gt: '' }, password: { a: 1 }, username: { toString: 'x' }, guardian_confirmed: ['on', 'on'] },
    { email: 'x'.repeat(5000) + '@example.test', first_name: 'y'.repeat(5000), display_name: 'z'.repeat(5000), password: 'p'.repeat(5000), login: 'l'.repeat(5000) },
    { birth_date: '1990-13-45', username: '../../etc', display_name: '\u0000\u202e', current_password: '', new_password: [], confirm: 'maybe', threshold: '1e999', minimumAge: '-5', adultAge: 'NaN', siteName: '' },
  ];

  /** A body with a NUL byte is refused before any route (400, core/http/clean-input.ts); the others reach the form. */
  const hasNul = (body: Record<string, unknown>) => JSON.stringify(body).includes('\\u0000');

  function qs(body: Record<string, unknown>, token: string): string {
    const params = new URLSearchParams({ _csrf: token });
    const add = (key: string, value: unknown) => {
      if (Array.isArray(value)) value.forEach((v) => add(`${key}[]`, v));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
      else params.append(key, String(value));
    };
    for (const [k, v] of Object.entries(body)) add(k, v);
    return params.toString();
  }

  it('never answers a guest form with a 500 nor writes a row', async () => {
    const users = await User.count();
    for (const [page, action] of [
      ['/register', '/register'],
      ['/login', '/login'],
      ['/password/forgot', '/password/forgot'],
    ]) {
      for (const body of hostile) {
        const agent = agentFrom(newAddress());
        const token = csrfFrom((await agent.get(page)).text);
        const res = await agent.post(action).type('form').send(qs(body, token));
        // 400: a NUL byte is refused before any route, by core/http/clean-input.ts.
        expect([400, 401, 422], `${action} ${JSON.stringify(body).slice(0, 80)}`).to.include(res.status);
      }
    }
    expect(await User.count()).to.equal(users);
  });

  it('never answers an account form with a 500 nor changes the account', async () => {
    const { user, password } = await createUser();
    const agent = agentFrom(newAddress());
    await login(agent, user.email, password);
    for (const action of ['/account', '/account/password', '/account/close']) {
      for (const body of hostile) {
        const token = csrfFrom((await agent.get('/account')).text);
        const res = await agent.post(action).type('form').send(qs(body, token));
        expect(res.status, `${action} ${JSON.stringify(body).slice(0, 80)}`).to.equal(hasNul(body) ? 400 : 422);
      }
    }
    const fresh = await User.findByPk(user.id);
    const fields = ['first_name', 'last_name', 'display_name', 'email', 'password_hash', 'session_version'] as const;
    for (const f of fields) expect(fresh![f], f).to.equal(user[f]);
    expect(fresh!.pending_email).to.equal(null);
    expect(fresh!.updated_at.getTime()).to.equal(user.updated_at.getTime());
  });

  it('never answers the admin settings or role forms with a 500', async () => {
    const admin = agentFrom(newAddress());
    await loginAsAdmin(admin);
    const before = t.platform.settings.get('core');
    const { user } = await createUser();
    for (const body of hostile) {
      const token = csrfFrom((await admin.get('/admin/settings/core')).text);
      const res = await admin.post('/admin/settings/core').type('form').send(qs(body, token));
      expect(hasNul(body) ? [400] : [303, 422], JSON.stringify(body).slice(0, 80)).to.include(res.status);
      const role = await admin.post(`/admin/users/${user.id}/role`).type('form').send(qs({ role: body.email ?? body.password ?? 'x' }, token));
      expect(role.status).to.equal(303);
    }
    for (const id of ['abc', '-1', '99999999', '1.5']) {
      const token = csrfFrom((await admin.get('/admin/users')).text);
      const res = await admin.post(`/admin/users/${id}/role`).type('form').send({ _csrf: token, role: 'seller' });
      expect(res.status, id).to.equal(404);
    }
    expect(t.platform.settings.get('core')).to.deep.equal(before);
    expect((await User.findByPk(user.id))!.role).to.equal('customer');
  });
});

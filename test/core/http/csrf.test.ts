import { expect } from 'chai';
import { startTestApp, createUser, login, loginAsAdmin, csrfFrom, type TestApp } from '../../helpers/app';
import { User } from '../../../core/auth/user-model';
import { registrationFields } from '../auth/support';

describe('CSRF protection', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [] });
  });
  after(async () => t.close());

  it('refuses a registration without a token with 403, and creates nobody', async () => {
    const fields = registrationFields();
    const agent = t.agent();
    await agent.get('/register').expect(200);
    const res = await agent.post('/register').type('form').send(fields);
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('This form has expired or was not sent from this site');
    const forged = await agent.post('/register').type('form').send({ ...fields, _csrf: 'forged-token' });
    expect(forged.status).to.equal(403);
    expect(await User.count({ where: { username: fields.username } })).to.equal(0);
  });

  it('refuses changes to an account without a token, and changes nothing', async () => {
    const { user, password } = await createUser({ display_name: 'Unchanged' });
    const agent = t.agent();
    await login(agent, user.email, password);
    const profile = { first_name: 'X', last_name: 'Y', display_name: 'Changed', email: `changed-${user.email}` };
    expect((await agent.post('/account').type('form').send(profile)).status).to.equal(403);
    expect((await agent.post('/account/password').type('form').send({ current_password: password, new_password: 'some-other-long-password' })).status).to.equal(403);
    expect((await agent.post('/account/close').type('form').send({ password, confirm: 'on' })).status).to.equal(403);
    expect((await agent.post('/logout').type('form').send({})).status).to.equal(403);
    const fresh = await User.findByPk(user.id);
    expect(fresh!.display_name).to.equal('Unchanged');
    expect(fresh!.pending_email).to.equal(null);
    expect(fresh!.password_hash).to.equal(user.password_hash);
    expect((await agent.get('/account')).status).to.equal(200);
  });

  it("refuses a token taken from another person's session", async () => {
    const { user: a, password: pa } = await createUser();
    const { user: b, password: pb } = await createUser({ display_name: 'B stays' });
    const agentA = t.agent();
    const agentB = t.agent();
    await login(agentA, a.email, pa);
    await login(agentB, b.email, pb);
    const tokenOfA = csrfFrom((await agentA.get('/account')).text);
    const res = await agentB.post('/account').type('form').send({ _csrf: tokenOfA, first_name: 'X', last_name: 'Y', display_name: 'Hijacked', email: b.email });
    expect(res.status).to.equal(403);
    expect((await User.findByPk(b.id))!.display_name).to.equal('B stays');
  });

  it('refuses an admin action without a token', async () => {
    const { user } = await createUser();
    const admin = t.agent();
    await loginAsAdmin(admin);
    const res = await admin.post(`/admin/users/${user.id}/role`).type('form').send({ role: 'admin' });
    expect(res.status).to.equal(403);
    expect((await User.findByPk(user.id))!.role).to.equal('customer');
  });
});

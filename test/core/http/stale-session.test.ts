import { expect } from 'chai';
import { startTestApp, createUser, csrfFrom, login, type TestApp } from '../../helpers/app';

/**
 * A session cookie the server no longer knows (secret rotated, sessions table wiped, a restore) must not
 * make every form answer 403 until the person clears cookies: it is replaced by a fresh session.
 */
describe('a stale or invalid session cookie', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [] });
  });
  after(async () => t.close());

  it('signed with another secret: the login form still works', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await agent.get('/login').expect(200);
    // What a browser holds after the server's SESSION_SECRET changed: a cookie whose signature no longer checks.
    agent.jar.setCookie('agora.sid=' + encodeURIComponent('s:old-session-id.bm90LXRoZS1yaWdodC1zaWduYXR1cmU') + '; Path=/', '127.0.0.1', '/');
    expect(agent.jar.getCookie('agora.sid', { domain: '127.0.0.1', path: '/', secure: false, script: false })).to.not.equal(undefined);
    const page = await agent.get('/login').expect(200);
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), login: user.email, password });
    expect(res.status, res.text).to.equal(303);
    const account = await agent.get('/account');
    expect(account.status).to.equal(200);
  });

  it('after the sessions table was wiped: the next page hands out a fresh session whose forms validate', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    await t.platform.sequelize.query('DELETE FROM sessions');
    const gone = await agent.get('/account');
    expect(gone.status).to.be.within(300, 399);
    const page = await agent.get('/login').expect(200);
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), login: user.email, password });
    expect(res.status, res.text).to.equal(303);
    expect((await agent.get('/account')).status).to.equal(200);
  });
});

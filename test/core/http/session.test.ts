import crypto from 'node:crypto';
import { expect } from 'chai';
import type supertest from 'supertest';
import { QueryTypes } from 'sequelize';
import { startTestApp, createUser, login, csrfFrom, type TestApp } from '../../helpers/app';

function cookies(res: supertest.Response): string[] {
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []);
}
const named = (res: supertest.Response, name: string) => cookies(res).find((c) => c.startsWith(`${name}=`));
const pair = (cookie: string | undefined) => cookie?.split(';')[0] ?? '';

/** An express-session cookie value for a session id, signed the way express-session signs it. */
function signedSid(sid: string, secret: string): string {
  const sig = crypto.createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `agora.sid=${encodeURIComponent(`s:${sid}.${sig}`)}`;
}

describe('sessions', () => {
  describe('over plain HTTP', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ plugins: [] });
    });
    after(async () => t.close());

    it('sets HttpOnly, SameSite=Lax cookies, not Secure without TLS, and keeps the session in the database', async () => {
      const { user, password } = await createUser();
      const agent = t.agent();
      const page = await agent.get('/login');
      const csrf = named(page, 'agora.csrf');
      expect(csrf).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i);
      const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), login: user.email, password });
      expect(res.status).to.equal(303);
      const sid = named(res, 'agora.sid');
      expect(sid).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i);
      expect(sid).to.not.match(/Secure/i);
      const id = decodeURIComponent(pair(sid).split('=')[1]).slice(2).split('.')[0];
      const rows = await t.platform.sequelize.query<{ data: string }>('SELECT data FROM sessions WHERE sid = ?', { replacements: [id], type: QueryTypes.SELECT });
      expect(rows).to.have.length(1);
      expect(JSON.parse(rows[0].data).passport.user.id).to.equal(user.id);
    });

    it('gives a new session id at login, so an id planted beforehand is worthless', async () => {
      const { user, password } = await createUser();
      const planted = 'planted-session-id-known-to-an-attacker';
      const Session = t.platform.sequelize.model('Session');
      await Session.create({ sid: planted, expires: new Date(Date.now() + 3600_000), data: JSON.stringify({ cookie: { originalMaxAge: 3600_000, httpOnly: true, path: '/' }, cart: 'guest' }) });
      const cookie = signedSid(planted, t.config.sessionSecret);

      const victim = t.agent();
      const page = await victim.get('/login').set('Cookie', cookie);
      const csrfCookie = pair(named(page, 'agora.csrf'));
      const res = await victim
        .post('/login')
        .set('Cookie', `${cookie}; ${csrfCookie}`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), login: user.email, password });
      expect(res.status).to.equal(303);
      const fresh = pair(named(res, 'agora.sid'));
      expect(fresh).to.not.equal('').and.not.equal(cookie);
      expect(await Session.findByPk(planted)).to.equal(null);
      // The attacker's copy of the planted id opens no account.
      expect((await t.agent().get('/account').set('Cookie', cookie)).status).to.equal(302);
      expect((await t.agent().get('/account').set('Cookie', fresh)).status).to.equal(200);
    });

    it('ends the session at logout', async () => {
      const { user, password } = await createUser();
      const agent = t.agent();
      await login(agent, user.email, password);
      const page = await agent.get('/account');
      const logout = await agent.post('/logout').type('form').send({ _csrf: csrfFrom(page.text) });
      expect(logout.status).to.equal(303);
      expect((await agent.get('/account')).status).to.equal(302);
    });
  });

  describe('behind a TLS proxy (TRUST_PROXY=1, https BASE_URL)', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ plugins: [], env: { TRUST_PROXY: '1', BASE_URL: 'https://agora.test' } });
    });
    after(async () => t.close());

    it('marks the session and CSRF cookies Secure when the proxy says the request came over https', async () => {
      const { user, password } = await createUser();
      // supertest's cookie jar keeps Secure cookies off plain-HTTP requests, so cookies are passed by hand here.
      const agent = t.agent();
      const page = await agent.get('/login').set('X-Forwarded-Proto', 'https');
      const csrf = named(page, 'agora.csrf');
      expect(csrf).to.match(/;\s*Secure/i).and.match(/HttpOnly/i).and.match(/SameSite=Lax/i);
      const res = await agent
        .post('/login')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', pair(csrf))
        .type('form')
        .send({ _csrf: csrfFrom(page.text), login: user.email, password });
      expect(res.status).to.equal(303);
      const sid = named(res, 'agora.sid');
      expect(sid).to.match(/;\s*Secure/i).and.match(/HttpOnly/i).and.match(/SameSite=Lax/i);
      expect(String(res.headers['strict-transport-security'])).to.contain('max-age=');
      const account = await t.agent().get('/account').set('X-Forwarded-Proto', 'https').set('Cookie', pair(sid));
      expect(account.status).to.equal(200);
    });
  });
});

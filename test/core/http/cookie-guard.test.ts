import { expect } from 'chai';
import type supertest from 'supertest';
import type { Request } from 'express';
import { createUser, csrfFrom, startTestApp, tokenFor, type TestApp } from '../../helpers/app';
import type { ConsentCategory } from '../../../core/http/assets';

const setCookies = (res: supertest.Response): string[] => ([] as string[]).concat(res.headers['set-cookie'] ?? []);
const names = (res: supertest.Response) => setCookies(res).map((c) => c.split('=')[0]);

/** POSTs /hello/seen, which sets hello_seen (preferences), hello_form (necessary) and hello_stray (undeclared). */
async function seen(t: TestApp, headers: Record<string, string> = {}): Promise<supertest.Response> {
  const agent = t.agent();
  const token = await tokenFor(agent, '/hello');
  let req = agent.post('/hello/seen').type('form');
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  return req.send({ _csrf: token });
}

describe('the cookie guard', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['hello'], fixtures: true });
  });
  after(async () => t.close());

  it('without any consent, sets necessary cookies and refuses the preferences cookie and the undeclared one', async () => {
    const res = await seen(t);
    expect(res.status).to.equal(303);
    expect(names(res)).to.include('hello_form');
    expect(names(res)).not.to.include('hello_seen');
    expect(names(res)).not.to.include('hello_stray');
  });

  it("always sets core's own session and CSRF cookies", async () => {
    const page = await t.agent().get('/login').expect(200);
    expect(names(page)).to.include('agora.csrf');
  });

  describe('with a consent plugin answering', () => {
    const disposers: Array<() => void> = [];
    before(() => {
      // What the gdpr plugin does: the visitor's recorded consent (here: a header) ...
      disposers.push(
        t.platform.hooks.filter('test', 'core.consent.categories', (set: Set<ConsentCategory>, req: Request) => {
          const given = String(req.headers['x-test-consent'] ?? '').split(',').filter(Boolean) as ConsentCategory[];
          return new Set([...set, ...given]);
        }),
      );
      // ... and a listener of core.consent.allows that may still refuse (an objection, a region rule).
      disposers.push(t.platform.hooks.filter('test', 'core.consent.allows', (allowed: boolean, category: ConsentCategory, req: Request) => (req.headers['x-test-refuse'] === category ? false : allowed)));
    });
    after(() => disposers.forEach((d) => d()));

    it('sets the preferences cookie when the filter allows its category', async () => {
      const res = await seen(t, { 'x-test-consent': 'preferences' });
      expect(names(res)).to.include.members(['hello_seen', 'hello_form']);
      expect(setCookies(res).find((c) => c.startsWith('hello_seen='))).to.match(/HttpOnly/);
      expect(names(res), 'an undeclared cookie is refused whatever the consent').not.to.include('hello_stray');
    });

    it('does not set it when a core.consent.allows listener refuses, even with consent recorded', async () => {
      const res = await seen(t, { 'x-test-consent': 'preferences', 'x-test-refuse': 'preferences' });
      expect(names(res)).not.to.include('hello_seen');
      expect(names(res)).to.include('hello_form');
    });

    it('does not set it for consent to another category', async () => {
      const res = await seen(t, { 'x-test-consent': 'marketing,statistics' });
      expect(names(res)).not.to.include('hello_seen');
    });
  });

  it('logs each refused cookie once by name, with the reason and the category', async () => {
    await seen(t);
    await seen(t);
    const refused = t.platform.http.cookies.refused();
    expect(refused.filter((r) => r.name === 'hello_seen')).to.deep.equal([{ name: 'hello_seen', reason: 'no-consent', category: 'preferences', owner: 'hello' }]);
    expect(refused.filter((r) => r.name === 'hello_stray')).to.deep.equal([{ name: 'hello_stray', reason: 'undeclared' }]);
  });

  describe('Set-Cookie written without res.cookie', () => {
    let dispose: () => void;
    before(() => {
      // What a plugin (or a library it uses) may do: res.append and res.setHeader, by-passing res.cookie.
      dispose = t.platform.http.middleware.use('test', 'early', (req, res, next) => {
        if (req.path === '/raw-append') {
          res.append('Set-Cookie', 'hello_stray=1; Path=/');
          res.append('Set-Cookie', ['hello_form=kept; Path=/; HttpOnly', 'hello_seen=1; Path=/']);
          return res.send('appended');
        }
        if (req.path === '/raw-set') {
          res.setHeader('Set-Cookie', ['tracker=abc; Path=/', 'hello_form=kept; Path=/']);
          return res.send('set');
        }
        if (req.path === '/raw-single') {
          res.setHeader('set-cookie', 'tracker=abc');
          return res.send('single');
        }
        if (req.path === '/raw-clear') {
          res.setHeader('Set-Cookie', 'hello_seen=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
          return res.send('cleared');
        }
        next();
      });
    });
    after(() => dispose());

    it('refuses an undeclared cookie and one without consent sent through res.append, keeps a necessary one', async () => {
      const res = await t.agent().get('/raw-append').expect(200);
      expect(names(res)).to.include('hello_form');
      expect(names(res)).not.to.include('hello_stray');
      expect(names(res)).not.to.include('hello_seen');
    });

    it('refuses an undeclared cookie sent through res.setHeader (array or single value, any header case)', async () => {
      const res = await t.agent().get('/raw-set').expect(200);
      expect(names(res)).to.deep.equal(['hello_form']);
      const single = await t.agent().get('/raw-single').expect(200);
      expect(names(single)).not.to.include('tracker');
      expect(t.platform.http.cookies.refused().filter((r) => r.name === 'tracker')).to.deep.equal([{ name: 'tracker', reason: 'undeclared' }]);
    });

    it('lets a cookie be cleared through setHeader', async () => {
      const res = await t.agent().get('/raw-clear').expect(200);
      expect(setCookies(res).find((c) => c.startsWith('hello_seen='))).to.match(/Expires=Thu, 01 Jan 1970/);
    });

    it("keeps core's session cookie (express-session writes it with setHeader) and the CSRF cookie", async () => {
      const { user, password } = await createUser();
      const agent = t.agent();
      const page = await agent.get('/login').expect(200);
      expect(names(page)).to.include('agora.csrf');
      const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), login: user.email, password });
      expect(res.status).to.equal(303);
      expect(names(res)).to.include('agora.sid');
      await agent.get('/account').expect(200);
    });
  });

  it('lets a cookie be cleared without consent', async () => {
    const dispose = t.platform.http.middleware.use('test', 'early', (req, res, next) => {
      if (req.path !== '/clear') return next();
      res.clearCookie('hello_seen');
      res.send('cleared');
    });
    try {
      const res = await t.agent().get('/clear').expect(200);
      expect(setCookies(res).find((c) => c.startsWith('hello_seen='))).to.match(/Expires=Thu, 01 Jan 1970/);
    } finally {
      dispose();
    }
  });
});

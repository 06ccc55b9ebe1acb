import { expect } from 'chai';
import { startTestApp, createUser, login, type TestApp } from '../../helpers/app';

describe('ctx.http.use: early and late plugin middleware', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'hello'], fixtures: true });
  });
  after(async () => t.close());

  it("runs early before core's routes and every plugin's, after the session and passport", async () => {
    for (const url of ['/', '/login', '/hello', '/products']) {
      const res = await t.agent().get(url);
      expect(res.status, url).to.equal(200);
      expect(res.headers['x-hello-early'], url).to.equal('guest');
    }
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    expect((await agent.get('/account').expect(200)).headers['x-hello-early'], 'it sees the logged-in user').to.equal('user');
  });

  it('can answer before a core route: an early middleware that ends the request stops core from running', async () => {
    const dispose = t.platform.http.middleware.use('test', 'early', (req, res, next) => (req.path === '/login' ? res.status(418).send('held by an early gate') : next()));
    try {
      const res = await t.agent().get('/login');
      expect(res.status).to.equal(418);
      expect(res.text).to.equal('held by an early gate');
    } finally {
      dispose();
    }
    await t.agent().get('/login').expect(200);
  });

  it('runs late after every route, before the 404: only unanswered requests reach it', async () => {
    const missing = await t.agent().get('/no-such-page');
    expect(missing.status).to.equal(404);
    expect(missing.headers['x-hello-late']).to.equal('unanswered');
    expect(missing.text).to.contain('Not found');
    const answered = await t.agent().get('/hello').expect(200);
    expect(answered.headers['x-hello-late']).to.equal(undefined);
  });

  it('sends a middleware that throws to the error page, and the site keeps serving', async () => {
    const res = await t.agent().get('/?hello-fail=early');
    expect(res.status).to.equal(500);
    expect(res.text).to.contain('Something went wrong on our side');
    expect(res.text).not.to.contain('failed on purpose');
    expect(res.text).to.contain(String(res.headers['x-request-id']));
    await t.agent().get('/').expect(200);
  });

  it('sends an async middleware that rejects to the error page too', async () => {
    const dispose = t.platform.http.middleware.use('test', 'early', async (req, _res, next) => {
      if (req.query.reject === '1') throw new Error('rejected on purpose');
      next();
    });
    try {
      const res = await t.agent().get('/hello?reject=1');
      expect(res.status).to.equal(500);
      expect(res.text).to.contain('Something went wrong on our side');
    } finally {
      dispose();
    }
  });

  it('is gone when the plugin is deactivated, without a restart, and back when it is activated', async () => {
    await t.platform.plugins.deactivate('hello');
    try {
      const home = await t.agent().get('/').expect(200);
      expect(home.headers['x-hello-early']).to.equal(undefined);
      const missing = await t.agent().get('/no-such-page').expect(404);
      expect(missing.headers['x-hello-late']).to.equal(undefined);
      expect(t.platform.http.middleware.list('early').map((e) => e.owner)).not.to.include('hello');
      await t.agent().get('/?hello-fail=early').expect(200);
    } finally {
      await t.platform.plugins.activate('hello');
    }
    expect((await t.agent().get('/').expect(200)).headers['x-hello-early']).to.equal('guest');
  });
});

describe('a plugin whose middleware keeps failing', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['hello'], fixtures: true });
  });
  after(async () => t.close());

  it('is suspended after repeated failures, and the site serves again without it', async () => {
    for (let i = 0; i < 5; i++) await t.agent().get('/?hello-fail=early').expect(500);
    // Suspension runs in the plugin manager's queue; wait for it.
    for (let i = 0; i < 50 && t.platform.plugins.isActive('hello'); i++) await new Promise((r) => setTimeout(r, 20));
    const record = t.platform.plugins.get('hello');
    expect(record?.status).to.equal('suspended');
    expect(record?.problem).to.contain('http.early').and.contain('failed on purpose');
    const home = await t.agent().get('/?hello-fail=early').expect(200);
    expect(home.headers['x-hello-early']).to.equal(undefined);
  });
});

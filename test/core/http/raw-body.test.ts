import crypto from 'node:crypto';
import { expect } from 'chai';
import { startTestApp, createUser, login, type TestApp } from '../../helpers/app';
import { HELLO_WEBHOOK_SECRET } from '../../fixtures/plugins/hello/http-and-files';
import { RawBodyPaths } from '../../../core/http/raw-body';

const sign = (bytes: Buffer | string) => `sha256=${crypto.createHmac('sha256', HELLO_WEBHOOK_SECRET).update(bytes).digest('hex')}`;

describe('ctx.http.rawBody: signed webhooks', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'hello'], fixtures: true });
  });
  after(async () => t.close());

  it('hands the route the exact bytes, so an HMAC over them verifies, with no CSRF token and no session cookie', async () => {
    // Odd spacing and key order: a body parsed and serialised again would not match the signature.
    const body = '{ "type":"ping",   "n": 1 }\n';
    const res = await t.agent().post('/hello/webhook').set('Content-Type', 'application/json').set('X-Hello-Signature', sign(body)).send(body);
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.deep.equal({ received: true, bytes: Buffer.byteLength(body), session: false });
    expect(res.headers['set-cookie'], 'no session or CSRF cookie is created').to.equal(undefined);
  });

  it('refuses a signature over other bytes (the same JSON, spaced differently)', async () => {
    const signed = '{"type":"ping","n":1}';
    const res = await t.agent().post('/hello/webhook').set('Content-Type', 'application/json').set('X-Hello-Signature', sign(signed)).send('{ "type": "ping", "n": 1 }');
    expect(res.status).to.equal(401);
  });

  it('loads no session even when the caller sends a valid session cookie', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    const body = 'form=looking&but=raw';
    const res = await agent.post('/hello/webhook').type('form').set('X-Hello-Signature', sign(body)).send(body);
    expect(res.status, res.text).to.equal(200);
    expect(res.body.session).to.equal(false);
    expect(res.headers['set-cookie']).to.equal(undefined);
  });

  it('keeps the CSRF check everywhere else: a form post without a token is refused', async () => {
    await t.agent().post('/hello').type('form').send({ name: 'A', email: 'a@example.com', message: 'hi' }).expect(403);
  });

  it('lists the prefixes with their plugins: shops declares /payments/ itself, core hard-codes none', () => {
    expect(t.platform.http.rawBody.list()).to.deep.include.members([
      { owner: 'shops', prefix: '/payments/' },
      { owner: 'hello', prefix: '/hello/webhook' },
    ]);
  });

  it('is gone when the plugin is deactivated: the path is a normal, CSRF-checked path again', async () => {
    await t.platform.plugins.deactivate('hello');
    try {
      const body = '{"type":"ping"}';
      const res = await t.agent().post('/hello/webhook').set('Content-Type', 'application/json').set('X-Hello-Signature', sign(body)).send(body);
      expect(res.status).to.equal(403);
      expect(t.platform.http.rawBody.list().map((e) => e.owner)).not.to.include('hello');
    } finally {
      await t.platform.plugins.activate('hello');
    }
  });
});

describe('RawBodyPaths', () => {
  it("refuses '/' and prefixes that would take the session and CSRF check from core's pages", () => {
    const paths = new RawBodyPaths();
    for (const prefix of ['/', '', 'payments/', '/admin', '/admin/hooks', '/a', '/login', '/account/x']) {
      expect(() => paths.claim('x', prefix), prefix).to.throw();
    }
    const dispose = paths.claim('x', '/hooks/x/');
    expect(paths.matches('/hooks/x/event')).to.equal(true);
    expect(paths.matches('/hooks/y')).to.equal(false);
    dispose();
    expect(paths.matches('/hooks/x/event')).to.equal(false);
  });
});

describe('RawBodyPaths: prefixes are compared as Express routes them', () => {
  it("refuses core's prefixes in any case (Express routes /Admin to the admin)", () => {
    const paths = new RawBodyPaths();
    for (const prefix of ['/Admin', '/ADMIN/hooks', '/Login', '/Account/x', '/Uploads/']) {
      expect(() => paths.claim('x', prefix), prefix).to.throw(/core's/);
    }
  });

  it('matches whatever the case of the request path', () => {
    const paths = new RawBodyPaths();
    paths.claim('hello', '/Hello/Webhook');
    expect(paths.list()).to.deep.equal([{ owner: 'hello', prefix: '/hello/webhook' }]);
    expect(paths.matches('/hello/webhook')).to.equal(true);
    expect(paths.matches('/HELLO/WEBHOOK')).to.equal(true);
    expect(paths.matches('/hello/Webhook/stripe')).to.equal(true);
  });

  it('matches on a path-segment boundary: /hello/webhook is not /hello/webhooks-anything', () => {
    const paths = new RawBodyPaths();
    paths.claim('hello', '/hello/webhook');
    paths.claim('shops', '/payments/');
    expect(paths.matches('/hello/webhooks-anything')).to.equal(false);
    expect(paths.matches('/hello/webhookx')).to.equal(false);
    expect(paths.matches('/hello/webhook/')).to.equal(true);
    expect(paths.matches('/payments')).to.equal(true);
    expect(paths.matches('/paymentsx')).to.equal(false);
    expect(paths.matches('/payments/callback')).to.equal(true);
  });

  it("refuses a prefix that overlaps another plugin's claim, either way round; the same plugin may nest its own", () => {
    const paths = new RawBodyPaths();
    paths.claim('shops', '/payments/');
    for (const prefix of ['/payments', '/payments/stripe', '/PAYMENTS/x/', '/payments/']) {
      expect(() => paths.claim('thief', prefix), prefix).to.throw(/already claimed by shops/);
    }
    paths.claim('hello', '/hello/webhook/');
    expect(() => paths.claim('thief', '/hello'), '/hello').to.throw(/already claimed by hello/);
    expect(() => paths.claim('shops', '/payments/extra')).to.not.throw();
    // A prefix that only shares letters, not a segment, is someone else's path.
    expect(() => paths.claim('other', '/paymentsx')).to.not.throw();
    expect(paths.list().map((e) => e.owner)).to.deep.equal(['shops', 'hello', 'shops', 'other']);
  });
});

import { expect } from 'chai';
import { startTestApp, ADMIN, csrfFrom, type TestApp } from '../../helpers/app';

describe('framing headers agree', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [] });
  });
  after(async () => t.close());

  it("X-Frame-Options says DENY, as CSP frame-ancestors 'none' does", async () => {
    const res = await t.agent().get('/login').expect(200);
    expect(res.headers['content-security-policy']).to.contain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).to.equal('DENY');
  });
});

describe('Secure cookies behind a proxy that does not say https', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: [], env: { TRUST_PROXY: '1', BASE_URL: 'https://agora.test' } });
  });
  after(async () => t.close());

  it('a login without X-Forwarded-Proto sets no cookie, and the admin dashboard says why', async () => {
    const plain = t.agent();
    const page = await plain.get('/login');
    const res = await plain.post('/login').type('form').send({ _csrf: csrfFrom(page.text), login: ADMIN.email, password: ADMIN.password });
    expect(([] as string[]).concat(res.headers['set-cookie'] ?? []).some((c) => c.startsWith('agora.sid='))).to.equal(false);

    // supertest's cookie jar would not send Secure cookies to http://127.0.0.1: they travel by hand, as the proxy would.
    const https = t.agent();
    const pairs = (r: { headers: Record<string, unknown> }) => ([] as string[]).concat((r.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split(';')[0]);
    const form = await https.get('/login').set('X-Forwarded-Proto', 'https');
    const ok = await https
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', pairs(form).join('; '))
      .type('form')
      .send({ _csrf: csrfFrom(form.text), login: ADMIN.email, password: ADMIN.password });
    expect(ok.status).to.equal(303);
    const dashboard = await t.agent().get('/admin').set('X-Forwarded-Proto', 'https').set('Cookie', pairs(ok).join('; ')).expect(200);
    expect(dashboard.text).to.contain('Logins may fail behind your proxy.');
    expect(dashboard.text).to.contain('X-Forwarded-Proto: https');
  });
});

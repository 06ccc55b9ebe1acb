import { expect } from 'chai';
import type supertest from 'supertest';
import { csrfFrom, loginAsAdmin, startTestApp, type TestApp } from '../../../helpers/app';
import { registerRows } from './helpers';

const setCookies = (res: supertest.Response): string[] => ([] as string[]).concat(res.headers['set-cookie'] ?? []);
const named = (res: supertest.Response, name: string) => setCookies(res).filter((c) => c.startsWith(`${name}=`));
const executable = (html: string, src: string) => new RegExp(`<script[^>]+src="${src.replace(/[/.]/g, '\\$&')}[^"]*"`).test(html);

async function choose(agent: supertest.Agent, choice: 'accept' | 'reject' | 'save', categories: string[] = [], headers: Record<string, string> = {}) {
  const page = await agent.get('/privacy/cookies').set(headers);
  const req = agent.post('/privacy/cookies/consent').type('form').set(headers);
  return req.send({ _csrf: csrfFrom(page.text), choice, return_to: '/', template: 'core/home', ...(categories.length ? { gdpr_category: categories } : {}) });
}

describe('gdpr: cookies with real prior consent (banner, guard, scripts, GPC)', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    // consent-probe (a fixture) declares a cookie and a script of each optional category.
    t = await startTestApp({ plugins: ['gdpr', 'consent-probe'], fixtures: true });
  });
  after(async () => t.close());

  it('before any choice: the banner is in the page with Accept all and Reject all alike, no analytics script, no optional cookie', async () => {
    const agent = t.agent();
    const home = await agent.get('/').expect(200);
    expect(home.text).to.include('id="gdpr-banner"');
    const accept = /<button type="submit" name="choice" value="accept" class="([^"]+)">Accept all<\/button>/.exec(home.text);
    const reject = /<button type="submit" name="choice" value="reject" class="([^"]+)">Reject all<\/button>/.exec(home.text);
    expect(accept?.[1]).to.equal('button gdpr-choice');
    expect(reject?.[1]).to.equal(accept?.[1]);
    expect(home.text).to.include('<summary>Settings</summary>');
    expect(executable(home.text, '/plugins/consent-probe/analytics.js')).to.equal(false);
    expect(executable(home.text, '/plugins/consent-probe/ads.js')).to.equal(false);
    expect(setCookies(home).every((c) => c.startsWith('agora.'))).to.equal(true);
    const set = await agent.get('/consent-probe/set').expect(200);
    expect(setCookies(set).filter((c) => c.startsWith('probe_'))).to.deep.equal([]);
    expect(t.platform.http.cookies.refused().map((r) => r.name)).to.include.members(['probe_stats', 'probe_ads']);
  });

  it('after Reject all: no banner, still no analytics and no optional cookie, and the choice is in the register', async () => {
    const agent = t.agent();
    const res = await choose(agent, 'reject');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/');
    expect(named(res, 'gdpr_consent')).to.have.length(1);
    const home = await agent.get('/').expect(200);
    expect(home.text).not.to.include('id="gdpr-banner"');
    expect(executable(home.text, '/plugins/consent-probe/analytics.js')).to.equal(false);
    const set = await agent.get('/consent-probe/set');
    expect(setCookies(set).filter((c) => c.startsWith('probe_'))).to.deep.equal([]);
    const last = (await registerRows(t)).at(-1)!;
    expect([last.section, last.action, last.categories]).to.deep.equal(['cookies', 'withdrawn', 'necessary']);
  });

  it('accepting one category enables only it: its script and its cookie, nothing of the others', async () => {
    const agent = t.agent();
    expect((await choose(agent, 'save', ['statistics'])).status).to.equal(303);
    const home = await agent.get('/').expect(200);
    expect(executable(home.text, '/plugins/consent-probe/analytics.js')).to.equal(true);
    expect(executable(home.text, '/plugins/consent-probe/ads.js')).to.equal(false);
    const set = await agent.get('/consent-probe/set');
    expect(setCookies(set).map((c) => c.split('=')[0]).filter((n) => n.startsWith('probe_'))).to.deep.equal(['probe_stats']);
    expect((await registerRows(t)).at(-1)!.categories).to.equal('necessary,statistics');
  });

  it('the choice sent from the page with JavaScript answers with the scripts to start now, without a reload', async () => {
    const agent = t.agent();
    const page = await agent.get('/');
    const res = await agent
      .post('/privacy/cookies/consent')
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), choice: 'accept', template: 'core/home' })
      .expect(200);
    expect(res.body).to.deep.equal({ categories: ['marketing', 'necessary', 'preferences', 'statistics'], scripts: ['/plugins/consent-probe/analytics.js', '/plugins/consent-probe/ads.js'], reload: false });
  });

  it('withdrawing deletes the cookies of the categories withdrawn', async () => {
    const agent = t.agent();
    expect((await choose(agent, 'accept')).status).to.equal(303);
    const set = await agent.get('/consent-probe/set');
    expect(setCookies(set).filter((c) => c.startsWith('probe_'))).to.have.length(3);
    const res = await choose(agent, 'save', ['preferences']);
    const cleared = setCookies(res).filter((c) => c.startsWith('probe_')).map((c) => c.split('=')[0]).sort();
    expect(cleared).to.deep.equal(['probe_ads', 'probe_stats']);
    expect(setCookies(res).filter((c) => c.startsWith('probe_')).every((c) => /Expires=Thu, 01 Jan 1970/.test(c))).to.equal(true);
  });

  it('Global Privacy Control: performance and targeting are refused even after Accept all, the banner says so, and responses vary on it', async () => {
    const agent = t.agent();
    const gpc = { 'Sec-GPC': '1' };
    const home = await agent.get('/').set(gpc).expect(200);
    expect(home.text).to.include("Your browser's privacy signal is honoured");
    expect(String(home.headers.vary)).to.match(/Sec-GPC/i);
    expect((await choose(agent, 'accept', [], gpc)).status).to.equal(303);
    const after = await agent.get('/').set(gpc);
    expect(executable(after.text, '/plugins/consent-probe/analytics.js')).to.equal(false);
    expect(executable(after.text, '/plugins/consent-probe/ads.js')).to.equal(false);
    const set = await agent.get('/consent-probe/set').set(gpc);
    expect(setCookies(set).map((c) => c.split('=')[0]).filter((n) => n.startsWith('probe_'))).to.deep.equal(['probe_pref']);
    expect((await registerRows(t)).at(-1)!.categories).to.equal('necessary,preferences');
  });

  it('the cookie wall (a setting) covers the page with the same banner, Reject all included', async () => {
    const current = t.platform.settings.get<Record<string, unknown>>('gdpr');
    await t.platform.options.set('settings.gdpr', { ...current, cookieWall: true });
    try {
      const home = await t.agent().get('/').expect(200);
      expect(home.text).to.match(/<div class="gdpr-wall">\s*<section class="gdpr-banner" id="gdpr-banner" aria-labelledby="gdpr-banner-title" role="dialog" aria-modal="true">/);
      expect(home.text).to.include('>Reject all</button>');
    } finally {
      await t.platform.options.set('settings.gdpr', current);
    }
    expect((await t.agent().get('/')).text).not.to.include('gdpr-wall');
  });

  it('/privacy/cookies lists every declared cookie by category; a cookie the admin adds is listed and asks everyone again', async () => {
    const agent = t.agent();
    expect((await choose(agent, 'reject')).status).to.equal(303);
    expect((await agent.get('/')).text).not.to.include('id="gdpr-banner"');
    const page = await agent.get('/privacy/cookies').expect(200);
    expect(page.text).to.include('<code>probe_stats</code>').and.to.include('<code>gdpr_consent</code>').and.to.include('Performance').and.to.include('Targeting');

    const admin = t.agent();
    await loginAsAdmin(admin);
    const form = await admin.get('/admin/privacy/cookies').expect(200);
    const bad = await admin.post('/admin/privacy/cookies').type('form').send({ _csrf: csrfFrom(form.text), name: 'has space', provider: '', purpose: 'x', duration: '1 day', category: 'marketing' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('Name the provider');
    await admin.post('/admin/privacy/cookies').type('form').send({ _csrf: csrfFrom(form.text), name: '_ga', provider: 'Google Analytics', purpose: 'Distinguishes visitors', duration: '2 years', category: 'statistics' }).expect(303);
    const listed = await agent.get('/privacy/cookies');
    expect(listed.text).to.include('<code>_ga</code>').and.to.include('Google Analytics');
    // The declarations changed since the choice: the visitor is asked again.
    expect((await agent.get('/')).text).to.include('id="gdpr-banner"');
  });
});

import { expect } from 'chai';
import type supertest from 'supertest';
import { csrfFrom, loginAsAdmin, startTestApp, type TestApp } from '../../../helpers/app';
import { boxesOn, policyId, registerRows } from './helpers';

async function post(admin: supertest.Agent, url: string, body: Record<string, string>) {
  const page = await admin.get('/admin/privacy/sections');
  return admin.post(url).type('form').send({ _csrf: csrfFrom(page.text), ...body });
}

function linkIds(html: string, section: string): number[] {
  const start = html.indexOf(`id="section-${section}"`);
  const block = html.slice(start, html.indexOf('</section>', start));
  return [...block.matchAll(/<li id="link-(\d+)">/g)].map((m) => Number(m[1]));
}

describe('gdpr: consent per form in the admin, for a plugin activated after gdpr', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: supertest.Agent;
  before(async () => {
    t = await startTestApp({ plugins: ['gdpr'], fixtures: true });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  it("lists core's forms; a plugin's form appears by itself once it is activated, and takes the boxes the admin chooses", async () => {
    const first = await admin.get('/admin/privacy/sections').expect(200);
    expect(first.text).to.include('User registration').and.to.include('Re-consent after login');
    expect(first.text).not.to.include('Probe contact form');
    // The profile form takes no consent boxes: not offered.
    expect(first.text).not.to.include('id="section-core.account.profile"');

    await t.platform.plugins.activate('consent-probe');
    const page = await admin.get('/admin/privacy/sections').expect(200);
    expect(page.text).to.include('Probe contact form').and.to.include('id="section-consent-probe.contact"');
    expect(boxesOn((await t.agent().get('/consent-probe/contact').expect(200)).text).ids).to.deep.equal([]);

    const privacy = await policyId(t, 'privacy');
    const consent = await policyId(t, 'consent');
    expect((await post(admin, '/admin/privacy/sections', { section: 'consent-probe.contact', policy_id: String(privacy), required: 'on' })).status).to.equal(303);
    expect((await post(admin, '/admin/privacy/sections', { section: 'consent-probe.contact', policy_id: String(consent) })).status).to.equal(303);
    const twice = await post(admin, '/admin/privacy/sections', { section: 'consent-probe.contact', policy_id: String(consent) });
    expect(twice.status).to.equal(422);
    expect(twice.text).to.include('is already shown in this form');
    const unknown = await post(admin, '/admin/privacy/sections', { section: 'nobody.form', policy_id: String(consent) });
    expect(unknown.status).to.equal(422);

    const form = await t.agent().get('/consent-probe/contact').expect(200);
    expect(boxesOn(form.text).ids).to.deep.equal([privacy, consent]);

    const agent = t.agent();
    const shown = await agent.get('/consent-probe/contact');
    const refused = await agent.post('/consent-probe/contact').type('form').send({ _csrf: csrfFrom(shown.text), email: 'not-an-email', message: '' });
    expect(refused.status).to.equal(422);
    // The owner's messages and the missing acknowledgement, together.
    expect(refused.text).to.include('Enter an email address').and.to.include('Tick the box to accept the Privacy Policy.');
    const sent = await agent.post('/consent-probe/contact').type('form').send({ _csrf: csrfFrom(refused.text), email: 'Writer@Example.test', message: 'Hello', gdpr_accept: String(privacy) });
    expect(sent.status).to.equal(303);
    const last = (await registerRows(t)).at(-1)!;
    expect([last.section, last.policy_slug, last.email]).to.deep.equal(['consent-probe.contact', 'privacy', 'writer@example.test']);
  });

  it('moves a policy up and down, makes it optional, and removes it', async () => {
    let page = await admin.get('/admin/privacy/sections');
    const [a, b] = linkIds(page.text, 'consent-probe.contact');
    expect((await post(admin, `/admin/privacy/sections/${b}/move`, { direction: 'up' })).status).to.equal(303);
    page = await admin.get('/admin/privacy/sections');
    expect(linkIds(page.text, 'consent-probe.contact')).to.deep.equal([b, a]);
    const form = await t.agent().get('/consent-probe/contact');
    expect(boxesOn(form.text).ids).to.deep.equal([await policyId(t, 'consent'), await policyId(t, 'privacy')]);
    // The first one cannot go further up: its button is disabled, and the request changes nothing.
    expect(page.text).to.match(new RegExp(`sections/${b}/move">(?:(?!</form>)[\\s\\S])*value="up">(?:(?!</form>)[\\s\\S])*disabled`));
    await post(admin, `/admin/privacy/sections/${b}/move`, { direction: 'up' });
    expect(linkIds((await admin.get('/admin/privacy/sections')).text, 'consent-probe.contact')).to.deep.equal([b, a]);

    expect((await post(admin, `/admin/privacy/sections/${a}/required`, { required: '0' })).status).to.equal(303);
    const agent = t.agent();
    const shown = await agent.get('/consent-probe/contact');
    await agent.post('/consent-probe/contact').type('form').send({ _csrf: csrfFrom(shown.text), email: 'free@example.test', message: 'No boxes ticked' }).expect(303);
    expect((await post(admin, `/admin/privacy/sections/${a}/remove`, {})).status).to.equal(303);
    expect(linkIds((await admin.get('/admin/privacy/sections')).text, 'consent-probe.contact')).to.deep.equal([b]);
  });

  it('the pages are the admin\'s only', async () => {
    expect((await t.agent().get('/admin/privacy/sections')).status).to.be.oneOf([302, 303]);
  });
});

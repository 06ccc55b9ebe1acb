import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import type supertest from 'supertest';
import { csrfFrom, login, loginAsAdmin, startTestApp, type TestApp } from '../../../helpers/app';
import { register, registrationFields } from '../../../core/auth/support';
import { policyId, registerRows } from './helpers';

async function editPolicy(admin: supertest.Agent, id: number, fields: { title: string; body: string; changes?: string }) {
  const page = await admin.get(`/admin/privacy/policies/${id}`).expect(200);
  return admin.post(`/admin/privacy/policies/${id}`).type('form').send({ _csrf: csrfFrom(page.text), changes: '', ...fields });
}

async function bodyOf(t: TestApp, slug: string): Promise<{ title: string; body: string }> {
  const [row] = await t.platform.sequelize.query<{ title: string; body: string }>(
    'SELECT v.title, v.body FROM gdpr_policy_versions v JOIN gdpr_policies p ON p.id = v.policy_id AND v.version = p.current_version WHERE p.slug = :slug',
    { type: QueryTypes.SELECT, replacements: { slug } },
  );
  return row;
}

describe('gdpr: policies, versions, re-consent at login, and /account/privacy', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: supertest.Agent;
  let ids: Record<string, number>;
  const person = registrationFields();
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr'] });
    await t.agent().get('/').expect(200);
    ids = { terms: await policyId(t, 'terms'), privacy: await policyId(t, 'privacy'), consent: await policyId(t, 'consent') };
    admin = t.agent();
    await loginAsAdmin(admin);
    const res = await register(t.agent(), { ...person, gdpr_accept: [String(ids.terms), String(ids.privacy), String(ids.consent)] } as unknown as Record<string, string>);
    expect(res.status).to.equal(303);
  });
  after(async () => t.close());

  it('a fresh install has the four documents, written from the store and its plugins, waiting for review on the dashboard', async () => {
    const list = await admin.get('/admin/privacy/policies').expect(200);
    for (const title of ['Terms and Conditions', 'Privacy Policy', 'Cookie Policy', 'Declaration of consent to the processing of personal data']) expect(list.text).to.include(title);
    const privacy = await t.agent().get('/privacy/policies/privacy').expect(200);
    expect(privacy.text).to.include('Agora runs this marketplace');
    // What shops declares it processes is in the text.
    expect(privacy.text).to.match(/Legal basis: the performance of a contract/);
    const dashboard = await admin.get('/admin').expect(200);
    expect(dashboard.text).to.include('4 policies were generated and not reviewed yet');
    const cookies = await t.agent().get('/privacy/policies/cookies').expect(200);
    expect(cookies.text).to.include('<code>agora.sid</code>').and.to.include('<code>gdpr_consent</code>');
  });

  it('the footer of every page links each policy, the cookies page and "Exercise your rights"', async () => {
    for (const url of ['/', '/register', '/privacy/cookies']) {
      const page = await t.agent().get(url).expect(200);
      const footer = page.text.slice(page.text.indexOf('<footer'));
      for (const href of ['/privacy/policies/terms', '/privacy/policies/privacy', '/privacy/policies/cookies', '/privacy/policies/consent', '/privacy/cookies', '/privacy/rights']) {
        expect(footer, `${url} → ${href}`).to.include(`href="${href}"`);
      }
    }
  });

  it('an edit of the text makes a new version; the old one stays readable; the same text again makes none', async () => {
    const before = await bodyOf(t, 'terms');
    const res = await editPolicy(admin, ids.terms, { title: before.title, body: `${before.body}\n\n## Disputes\n\nDisputes go to the courts of Paris.`, changes: 'A section on disputes was added.' });
    expect(res.status).to.equal(303);
    const current = await t.agent().get('/privacy/policies/terms').expect(200);
    expect(current.text).to.include('Version 2').and.to.include('<h2>Disputes</h2>');
    const old = await t.agent().get('/privacy/policies/terms?version=1').expect(200);
    expect(old.text).to.include('an earlier version').and.not.to.include('<h2>Disputes</h2>');
    await editPolicy(admin, ids.terms, await bodyOf(t, 'terms'));
    const [{ n }] = await t.platform.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM gdpr_policy_versions WHERE policy_id = :id', { type: QueryTypes.SELECT, replacements: { id: ids.terms } });
    expect(Number(n)).to.equal(2);
    const empty = await editPolicy(admin, ids.terms, { title: '', body: '' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.include('Give the policy a title');
    expect((await t.agent().get('/privacy/policies/terms?version=9')).status).to.equal(404);
  });

  it('a new version asks the people who accepted the old one again at login; an optional one left unticked is withdrawn', async () => {
    const consentNow = await bodyOf(t, 'consent');
    await editPolicy(admin, ids.consent, { title: consentNow.title, body: `${consentNow.body}\n\nWe now also send offers by text message.`, changes: 'Text messages.' });
    const agent = t.agent();
    const token = csrfFrom((await agent.get('/login')).text);
    const res = await agent.post('/login').type('form').send({ _csrf: token, login: person.username, password: person.password });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login/continue');
    const gate = await agent.get('/login/continue').expect(200);
    expect(gate.text).to.include('A section on disputes was added.').and.to.include('Text messages.');
    expect(gate.text).to.include('You accepted version 1; version 2');
    // Every other page sends the person back to the gate.
    expect((await agent.get('/account')).headers.location).to.equal('/login/continue');

    const refused = await agent.post('/login/continue').type('form').send({ _csrf: csrfFrom(gate.text) });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('Accept the new Terms and Conditions to go on, or log out.');

    const passed = await agent.post('/login/continue').type('form').send({ _csrf: csrfFrom(refused.text), gdpr_reaccept: String(ids.terms) });
    expect(passed.status).to.equal(303);
    const mine = (await registerRows(t)).filter((r) => r.email === person.email.toLowerCase()).slice(-2);
    expect(mine.map((r) => [r.action, r.section, r.policy_slug, Number(r.policy_version)])).to.deep.equal([
      ['accepted', 'core.login.after', 'terms', 2],
      ['withdrawn', 'core.login.after', 'consent', 1],
    ]);
    // Answered: the next login goes straight through.
    const again = t.agent();
    await login(again, person.username, person.password);
  });

  it('a person already logged in when a policy changes is held at the gate on their next page, with the whole text', async () => {
    const agent = t.agent();
    await login(agent, person.username, person.password);
    expect((await agent.get('/account')).status).to.equal(200);
    const terms = await bodyOf(t, 'terms');
    await editPolicy(admin, ids.terms, { title: terms.title, body: `${terms.body}\n\nDelivery times are estimates.`, changes: 'Delivery times.' });
    const held = await agent.get('/account');
    expect(held.status).to.equal(303);
    expect(held.headers.location).to.equal('/login/continue');
    const gate = await agent.get('/login/continue').expect(200);
    expect(gate.text).to.include('Read the full text of version 3').and.to.include('Delivery times are estimates.');
    const passed = await agent.post('/login/continue').type('form').send({ _csrf: csrfFrom(gate.text), gdpr_reaccept: String(ids.terms) });
    expect(passed.headers.location).to.equal('/account');
    expect((await agent.get('/account')).status).to.equal(200);
  });

  it('/account/privacy shows what the person agreed to, and withdraws an optional consent with one button (twice at once: once)', async () => {
    const agent = t.agent();
    await login(agent, person.username, person.password);
    // Give the optional consent again from the re-consent section: the admin lists it there.
    const page = await agent.get('/account/privacy').expect(200);
    expect(page.text).to.include('Terms and Conditions').and.to.include('Re-consent after login').and.to.include('required acknowledgement');
    expect(page.text).to.include('Privacy Policy');
    expect(page.text).not.to.include('name="policy" value="consent"');

    // A fresh person with the optional consent.
    const other = registrationFields();
    const otherAgent = t.agent();
    await register(otherAgent, { ...other, gdpr_accept: [String(ids.terms), String(ids.privacy), String(ids.consent)] } as unknown as Record<string, string>);
    await login(otherAgent, other.username, other.password);
    const mine = await otherAgent.get('/account/privacy').expect(200);
    expect(mine.text).to.include('name="policy" value="consent"');
    const token = csrfFrom(mine.text);
    const [a, b] = await Promise.all([
      otherAgent.post('/account/privacy/withdraw').type('form').send({ _csrf: token, policy: 'consent' }),
      otherAgent.post('/account/privacy/withdraw').type('form').send({ _csrf: token, policy: 'consent' }),
    ]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    const rows = (await registerRows(t)).filter((r) => r.email === other.email.toLowerCase());
    expect(rows.filter((r) => r.action === 'withdrawn').map((r) => [r.policy_slug, r.section])).to.deep.equal([['consent', 'account']]);
    const after = await otherAgent.get('/account/privacy');
    expect(after.text).not.to.include('name="policy" value="consent"');
    expect(after.text).to.include('<strong>withdrawn</strong>');
    // A required acknowledgement is not withdrawn from here.
    const refused = await otherAgent.post('/account/privacy/withdraw').type('form').send({ _csrf: csrfFrom(after.text), policy: 'terms' });
    expect(refused.status).to.equal(303);
    expect((await registerRows(t)).filter((r) => r.email === other.email.toLowerCase() && r.action === 'withdrawn')).to.have.length(1);
  });
  it('a policy published while someone fills in a form is not taken as accepted: the form comes back (422), nothing written', async () => {
    const agent = t.agent();
    const page = await agent.get('/register').expect(200);
    const shown = /name="gdpr_shown" value="([^"]*)"/.exec(page.text)![1];
    const privacy = await bodyOf(t, 'privacy');
    await editPolicy(admin, ids.privacy, { title: privacy.title, body: `${privacy.body}\n\nA new paragraph.` });
    const fields = registrationFields();
    const res = await agent.post('/register').type('form').send({ _csrf: csrfFrom(page.text), ...fields, gdpr_accept: [String(ids.terms), String(ids.privacy)], gdpr_shown: shown });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('The Privacy Policy changed while you were filling in the form');
    const [{ n }] = await t.platform.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM users WHERE email = :email', { type: QueryTypes.SELECT, replacements: { email: fields.email } });
    expect(Number(n)).to.equal(0);
  });
});

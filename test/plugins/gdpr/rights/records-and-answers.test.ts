import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import type supertest from 'supertest';
import { startTestApp, createUser, loginAsAdmin, csrfFrom, type TestApp } from '../../../helpers/app';
import { registrationFields } from '../../../core/auth/support';
import { NewsletterSubscriber } from '../../../../plugins/newsletter/models';
import { addressHash } from '../../../../plugins/newsletter/services/addresses';
import { policyId, shownOn } from '../consent/helpers';

const PLUGINS = ['shops', 'reviews', 'follows', 'newsletter', 'messaging', 'stripe', 'gdpr'];

/**
 * With every plugin active: the record of processing is generated from each one's declarations (the CSV read
 * back with a real parser), and every form that takes an email answers a known and an unknown address alike.
 */
describe('gdpr: the record of processing of every plugin (CSV), and identical answers for known and unknown addresses', function () {
  this.timeout(120_000);
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  before(async () => {
    t = await startTestApp({ plugins: PLUGINS });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  it('exports as CSV one row per declaration of core and of every active plugin, with its legal basis and retention days', async () => {
    const csv = await admin.get('/admin/privacy/records.csv');
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.match(/^text\/csv/);
    expect(csv.headers['content-disposition']).to.include('record-of-processing.csv');
    const rows = parse(csv.text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
    const declared = t.platform.privacy.processings();
    expect(rows).to.have.length(declared.length);
    const owners = new Set(rows.map((r) => r.owner));
    for (const owner of ['core', ...PLUGINS]) expect(owners, `rows of ${owner}`).to.include(owner);
    for (const d of declared) {
      const row = rows.find((r) => r.owner === d.owner && r.purpose === d.purpose);
      expect(row, `${d.owner}: ${d.purpose}`).to.not.equal(undefined);
      expect(row!.legal_basis).to.equal(d.legalBasis);
      expect(row!.data).to.equal(d.data.join('; '));
      expect(row!.recipients).to.equal(d.recipients.join('; '));
      expect(row!.retention).to.equal(d.retention);
      expect(row!.controller).to.match(/\(http/);
    }
    // Lines naming a retention rule carry the days the store applies now.
    const carts = rows.find((r) => r.retention.includes('shops.carts'))!;
    expect(carts.retention_rules).to.equal('shops.carts: 30 days');
    const page = await admin.get('/admin/privacy/records');
    expect(page.status).to.equal(200);
    for (const owner of PLUGINS) expect(page.text).to.include(`data-label="Part">${owner}<`);
  });

  // Everything that differs between two identical requests whatever the address: the CSRF token and the CSP nonce.
  const normalize = (html: string, email: string) => html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""').replace(/content="[^"]*" name="csrf-token"|name="csrf-token" content="[^"]*"/g, 'csrf').replace(/nonce="[^"]*"/g, 'nonce=""').split(email).join('EMAIL');
  /** Sends a form as a fresh visitor and returns the answer as the browser would show it (following a redirect). */
  const answer = async (path: string, form: string, fields: (page: string) => Record<string, unknown>, email: string) => {
    const agent = t.agent();
    const page = await agent.get(form);
    const res = await agent.post(path).type('form').send({ _csrf: csrfFrom(page.text), ...fields(page.text) });
    const shown: supertest.Response = res.status === 303 ? await agent.get(res.headers.location as string) : res;
    return { status: res.status, location: res.headers.location as string | undefined, body: normalize(shown.text, email), shownStatus: shown.status };
  };
  const compare = async (label: string, ask: (email: string) => ReturnType<typeof answer>, known: string, unknown: string) => {
    const a = await ask(known);
    const b = await ask(unknown);
    expect(a.status, label).to.equal(b.status);
    expect(a.location, label).to.equal(b.location);
    expect(a.shownStatus, label).to.equal(a.status === 303 ? 200 : a.status);
    expect(a.body, label).to.match(/<main[\s\S]*(inbox|email|do not match)[\s\S]*<\/main>/i);
    expect(a.body, `${label}: the pages differ`).to.equal(b.body);
  };

  it('answers byte for byte the same to a known and an unknown address on every form that takes one', async () => {
    const { user } = await createUser({ email: 'known.everywhere@example.test' });
    await NewsletterSubscriber.create({ email: user.email, email_hash: addressHash(user.email), user_id: user.id, status: 'confirmed', source: 'account', consented_at: new Date(), confirmed_at: new Date() } as never);
    const unknown = (kind: string) => `nobody.${kind}.${Date.now()}@example.test`;

    for (const kind of ['access', 'erasure', 'objection']) {
      await compare(`rights: ${kind}`, (email) => answer('/privacy/rights/request', '/privacy/rights', () => ({ kind, email }), email), user.email, unknown(kind));
    }
    await compare('login with a wrong password', (email) => answer('/login', '/login', () => ({ login: email, password: 'not-the-password-at-all' }), email), user.email, unknown('login'));
    await compare('password reset', (email) => answer('/password/forgot', '/password/forgot', () => ({ email }), email), user.email, unknown('reset'));
    const privacy = String(await policyId(t, 'privacy'));
    await compare('newsletter signup', (email) => answer('/newsletter', '/newsletter', (page) => ({ email, gdpr_accept: privacy, gdpr_shown: shownOn(page) }), email), user.email, unknown('newsletter'));
    const boxes = [String(await policyId(t, 'terms')), privacy];
    const fields = registrationFields();
    await compare(
      'registration',
      (email) => answer('/register', '/register', (page) => ({ ...fields, username: `${fields.username}${email.length}`, email, gdpr_accept: boxes, gdpr_shown: shownOn(page) }), email),
      user.email,
      unknown('register'),
    );
  });
});

import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { startTestApp, tokenFor, type TestApp } from '../../../helpers/app';
import { registrationFields } from '../../../core/auth/support';
import { boxesOn, policyId, registerRows, shownOn } from './helpers';

async function usersNamed(t: TestApp, email: string): Promise<number> {
  const rows = await t.platform.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM users WHERE email = :email', { type: QueryTypes.SELECT, replacements: { email } });
  return Number(rows[0].n);
}

describe('gdpr: consent boxes in form sections (registration)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let terms: number;
  let privacy: number;
  let consent: number;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr'] });
    await t.agent().get('/').expect(200); // the first request installs the generated policies
    [terms, privacy, consent] = await Promise.all([policyId(t, 'terms'), policyId(t, 'privacy'), policyId(t, 'consent')]);
  });
  after(async () => t.close());

  it('shows the policies chosen for registration, none ticked, required ones marked', async () => {
    const page = await t.agent().get('/register').expect(200);
    const boxes = boxesOn(page.text);
    expect(boxes.ids).to.deep.equal([terms, privacy, consent]);
    expect(boxes.ticked).to.equal(false);
    expect(page.text).to.match(/I have read and accept the <a href="\/privacy\/policies\/terms"[^>]*>Terms and Conditions<\/a> <span class="muted">\(required\)/);
    expect(page.text).to.match(/I agree to the <a href="\/privacy\/policies\/consent"[^>]*>Declaration of consent[^<]*<\/a> <span class="muted">\(optional\)/);
  });

  it('refuses a registration without the required boxes with 422, the message, and nothing written', async () => {
    const agent = t.agent();
    const fields = registrationFields();
    const before = (await registerRows(t)).length;
    const token = await tokenFor(agent, '/register');
    const res = await agent.post('/register').type('form').send({ _csrf: token, ...fields, gdpr_accept: String(terms) });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Tick the box to accept the Privacy Policy.');
    expect(res.text).not.to.include('Tick the box to accept the Terms and Conditions.');
    // What was ticked stays ticked; what was not stays unticked.
    expect(res.text).to.match(new RegExp(`id="gdpr-core-register-${terms}" name="gdpr_accept" value="${terms}" checked`));
    expect(await usersNamed(t, fields.email)).to.equal(0);
    expect((await registerRows(t)).length).to.equal(before);
  });

  it('registers with the required boxes only (the optional consent is not needed) and writes one register row per box', async () => {
    const agent = t.agent();
    const fields = registrationFields();
    const page = await agent.get('/register');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await agent.post('/register').type('form').send({ _csrf: token, ...fields, gdpr_accept: [String(terms), String(privacy)], gdpr_shown: shownOn(page.text) });
    expect(res.status).to.equal(303);
    const [user] = await t.platform.sequelize.query<{ id: number }>('SELECT id FROM users WHERE email = :email', { type: QueryTypes.SELECT, replacements: { email: fields.email } });
    const mine = (await registerRows(t)).filter((r) => r.email === fields.email);
    expect(mine.map((r) => [r.action, r.section, r.policy_slug, Number(r.policy_version), Number(r.user_id)])).to.deep.equal([
      ['accepted', 'core.register', 'terms', 1, Number(user.id)],
      ['accepted', 'core.register', 'privacy', 1, Number(user.id)],
    ]);
  });

  it('records the optional consent when it is ticked', async () => {
    const agent = t.agent();
    const fields = registrationFields();
    const token = await tokenFor(agent, '/register');
    await agent.post('/register').type('form').send({ _csrf: token, ...fields, gdpr_accept: [String(terms), String(privacy), String(consent)] }).expect(303);
    const mine = (await registerRows(t)).filter((r) => r.email === fields.email);
    expect(mine.map((r) => r.policy_slug)).to.deep.equal(['terms', 'privacy', 'consent']);
  });
});

import { expect } from 'chai';
import { QueryTypes } from 'sequelize';
import { csrfFrom, startTestApp, type TestApp } from '../../../helpers/app';
import { boxesOn, policyId, registerRows } from './helpers';

/** The sections of plugins built beside gdpr (newsletter signup), reached through extendEach with no code of gdpr's naming them. */
describe('gdpr: consent boxes in the newsletter signup and the store contact form (sections other plugins declare)', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr', 'newsletter', 'messaging'] });
    await t.agent().get('/').expect(200);
  });
  after(async () => t.close());

  const subscribers = async (email: string) =>
    Number((await t.platform.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM newsletter_subscribers WHERE email = :email', { type: QueryTypes.SELECT, replacements: { email } }))[0].n);

  it('shows the Privacy Policy (required) and the consent declaration (optional); refuses without the first, records both with the address', async () => {
    const agent = t.agent();
    const page = await agent.get('/newsletter').expect(200);
    const [privacy, consent] = [await policyId(t, 'privacy'), await policyId(t, 'consent')];
    expect(boxesOn(page.text, '/newsletter')).to.deep.equal({ ids: [privacy, consent], ticked: false });

    const email = `reader-${Date.now()}@example.test`;
    const refused = await agent.post('/newsletter').type('form').send({ _csrf: csrfFrom(page.text), email });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('Tick the box to accept the Privacy Policy.');
    expect(await subscribers(email)).to.equal(0);

    const sent = await agent.post('/newsletter').type('form').send({ _csrf: csrfFrom(refused.text), email, gdpr_accept: [String(privacy), String(consent)] });
    expect(sent.status).to.equal(303);
    expect(await subscribers(email)).to.equal(1);
    const mine = (await registerRows(t)).filter((r) => r.email === email);
    expect(mine.map((r) => [r.section, r.policy_slug])).to.deep.equal([
      ['newsletter.signup', 'privacy'],
      ['newsletter.signup', 'consent'],
    ]);
  });
  it('the store contact form takes the Privacy Policy acknowledgement and records it with the guest\'s address', async () => {
    const agent = t.agent();
    const page = await agent.get('/contact').expect(200);
    const privacy = await policyId(t, 'privacy');
    expect(boxesOn(page.text, '/contact')).to.deep.equal({ ids: [privacy], ticked: false });
    // The footer's newsletter signup shows its own boxes: no id on the page is used twice.
    const ids = [...page.text.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).to.deep.equal([]);
    const submission = /name="submission" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const fields = { name: 'Grace Hopper', email: `grace-${Date.now()}@example.test`, subject: 'A question', body: 'Do you ship to Lisbon?', submission };
    const refused = await agent.post('/contact').type('form').send({ _csrf: csrfFrom(page.text), ...fields });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('Tick the box to accept the Privacy Policy.');
    const sent = await agent.post('/contact').type('form').send({ _csrf: csrfFrom(refused.text), ...fields, gdpr_accept: String(privacy) });
    expect(sent.status).to.equal(303);
    const mine = (await registerRows(t)).filter((r) => r.email === fields.email);
    expect(mine.map((r) => [r.section, r.policy_slug])).to.deep.equal([['messaging.contact', 'privacy']]);
  });
});

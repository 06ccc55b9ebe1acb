import { expect } from 'chai';
import { startTestApp, loginAsAdmin, type TestApp } from '../../../helpers/app';
import { registrationFields, register } from '../../../core/auth/support';
import { policyId, registerRows } from './helpers';
import { csrfFrom } from '../../../helpers/app';

async function verify(t: TestApp, admin: ReturnType<TestApp['agent']>): Promise<string> {
  const page = await admin.get('/admin/privacy/consents').expect(200);
  const res = await admin.post('/admin/privacy/consents/verify').type('form').send({ _csrf: csrfFrom(page.text) });
  expect(res.status).to.equal(200);
  return res.text;
}

describe('gdpr: the consent register (hash chain, verify, search, CSV, erasure)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  const emails: string[] = [];
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr'] });
    await t.agent().get('/').expect(200);
    const [terms, privacy] = await Promise.all([policyId(t, 'terms'), policyId(t, 'privacy')]);
    for (let i = 0; i < 3; i++) {
      const fields = registrationFields();
      emails.push(fields.email);
      expect((await register(t.agent(), { ...fields, gdpr_accept: [String(terms), String(privacy)] } as unknown as Record<string, string>)).status).to.equal(303);
    }
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  it('two appends at once never share a predecessor: sequence numbers stay unique and the chain verifies', async () => {
    const { consentServiceOf } = (await import('../../../../plugins/gdpr/consent/setup')) as typeof import('../../../../plugins/gdpr/consent/setup');
    const service = consentServiceOf();
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        service.record([{ action: 'accepted', section: 'cookies', categories: ['necessary', 'statistics'] }], { email: `parallel-${i}@example.test` }, { ip: '203.0.113.0', userAgentHash: null, consentId: null }),
      ),
    );
    const rows = await registerRows(t);
    expect(new Set(rows.map((r) => r.seq)).size).to.equal(rows.length);
    expect(rows.map((r) => Number(r.seq))).to.deep.equal(rows.map((_, i) => i + 1));
    expect((await service.verify()).intact).to.equal(true);
  });

  it('the model refuses to change or delete a row (append-only)', async () => {
    const { RegisterEntry } = await import('../../../../plugins/gdpr/consent/models');
    const [first] = await RegisterEntry.findAll({ order: [['seq', 'ASC']], limit: 1 });
    let refused = 0;
    for (const attempt of [() => first.update({ section: 'edited' }), () => first.destroy(), () => RegisterEntry.update({ section: 'edited' }, { where: { id: first.id } }), () => RegisterEntry.destroy({ where: { id: first.id } })]) {
      try {
        await attempt();
      } catch (error) {
        expect((error as Error).message).to.include('append-only');
        refused++;
      }
    }
    expect(refused).to.equal(4);
  });

  it('"Verify register" says the chain is intact', async () => {
    const text = await verify(t, admin);
    expect(text).to.include('The register is intact');
  });

  it('a row edited in the database directly makes verification fail, naming the row', async () => {
    const rows = await registerRows(t);
    const victim = rows[2];
    await t.platform.sequelize.query("UPDATE gdpr_consent_register SET policy_slug = 'consent' WHERE id = :id", { replacements: { id: victim.id } });
    try {
      const text = await verify(t, admin);
      expect(text).to.include('The register is NOT intact: the chain breaks at row 3');
      expect(text).to.include('Row 3: its content does not match its hash (edited)');
    } finally {
      await t.platform.sequelize.query('UPDATE gdpr_consent_register SET policy_slug = :slug WHERE id = :id', { replacements: { id: victim.id, slug: victim.policy_slug } });
    }
    expect(await verify(t, admin)).to.include('The register is intact');
  });

  it('searches by email and policy, and exports CSV', async () => {
    const page = await admin.get(`/admin/privacy/consents?email=${encodeURIComponent(emails[2])}&policy=terms`).expect(200);
    expect(page.text).to.include(emails[2]);
    expect(page.text).not.to.include(emails[1]);
    const csv = await admin.get(`/admin/privacy/consents.csv?email=${encodeURIComponent(emails[2])}`).expect(200);
    expect(csv.headers['content-type']).to.match(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).to.match(/^seq,receipt,recorded_at,action,section,policy,version,text_sha256/);
    expect(lines).to.have.length(3);
    expect(lines[1]).to.include(emails[2]).and.to.include('core.register');
  });

  it('a customer cannot open the register', async () => {
    const agent = t.agent();
    const fields = registrationFields();
    await register(agent, fields);
    const res = await agent.get('/admin/privacy/consents');
    expect(res.status).to.be.oneOf([403, 303, 302]);
  });

  it("the person's export has their consent history, and nobody else's", async () => {
    const result = await t.platform.privacy.exportPerson({ email: emails[1] });
    const section = result.sections.find((s) => s.owner === 'gdpr' && s.exporter === 'consents');
    expect(section?.items.map((i) => [i.group, (i.data as { policy: string }).policy, (i.data as { email: string }).email])).to.deep.equal([
      ['Consent history', 'terms', emails[1]],
      ['Consent history', 'privacy', emails[1]],
    ]);
    expect(JSON.stringify(result)).not.to.include(emails[2]);
  });

  it('erasure shreds the identity, keeps the rows, and the chain still verifies', async () => {
    const before = (await registerRows(t)).filter((r) => r.email === emails[2]);
    expect(before).to.have.length(2);
    await t.platform.privacy.erasePerson({ email: emails[2] });
    const after = await registerRows(t);
    expect(after.filter((r) => r.email === emails[2])).to.have.length(0);
    expect(after.filter((r) => before.some((b) => b.id === r.id))).to.have.length(2);
    expect(await verify(t, admin)).to.include('The register is intact');
  });

  it('an identity changed in the database is caught too, and a deleted row breaks the chain', async () => {
    const rows = await registerRows(t);
    await t.platform.sequelize.query("UPDATE gdpr_consent_identities SET email = 'someone-else@example.test' WHERE register_id = :id", { replacements: { id: rows[0].id } });
    expect(await verify(t, admin)).to.include('Row 1: its identity (email, user, IP) was changed');
    await t.platform.sequelize.query('UPDATE gdpr_consent_identities SET email = :email WHERE register_id = :id', { replacements: { id: rows[0].id, email: rows[0].email } });

    await t.platform.sequelize.query('DELETE FROM gdpr_consent_identities WHERE register_id = :id', { replacements: { id: rows[1].id } });
    await t.platform.sequelize.query('DELETE FROM gdpr_consent_register WHERE id = :id', { replacements: { id: rows[1].id } });
    const text = await verify(t, admin);
    expect(text).to.include('the chain breaks at row 2');
    expect(text).to.include('row 2 is missing (deleted)');
  });

});

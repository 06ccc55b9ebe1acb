import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startTestApp, login, loginAsAdmin, csrfFrom, tokenFor, type TestApp } from '../../../helpers/app';
import { RightsRequest } from '../../../../plugins/gdpr/rights/models/rights-request';
import { consentServiceOf } from '../../../../plugins/gdpr/consent/setup';
import { binary, unzip } from './rights-helpers';
import { findCanaries, seedPerson, textDump, type CanaryPerson } from './canary-helpers';

describe('gdpr rights: the export of X holds all of X and nothing of Y; erasure of X leaves only what is kept with a reason', function () {
  this.timeout(60_000);
  let t: TestApp;
  let x: CanaryPerson;
  let y: CanaryPerson;
  let agent: ReturnType<TestApp['agent']>;
  const PASSWORD = 'correct-horse-battery-staple';

  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr'], smtp: true });
    x = await seedPerson(t, 'x');
    y = await seedPerson(t, 'y');
    agent = t.agent();
    await login(agent, x.email, PASSWORD);
  });
  after(async () => t.close());

  it('downloads at once a zip whose export.json validates against its schema, with every X canary, the consent history, and no Y canary', async () => {
    const csrf = await tokenFor(agent, '/privacy/rights');
    const res = await agent.post('/privacy/rights/export').type('form').send({ _csrf: csrf }).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-disposition']).to.match(/attachment; filename="personal-data-\d{4}-\d{2}-\d{2}\.zip"/);
    const files = await unzip(res.body as Buffer);
    expect(Object.keys(files)).to.include.members(['export.json', 'export.schema.json', 'index.html', 'csv/account.csv', 'csv/orders.csv']);

    const doc = JSON.parse(files['export.json']) as { sections: Array<{ items: Array<{ group: string }> }>; generated_at: string };
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(files['export.schema.json']) as object);
    expect(validate(doc), JSON.stringify(validate.errors)).to.equal(true);
    expect(doc.generated_at).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const everything = Object.values(files).join('\n').toLowerCase();
    for (const [field, value] of Object.entries(x.canaries)) expect(everything, `X's ${field}`).to.include(value.toLowerCase());
    for (const [field, value] of Object.entries(y.canaries)) expect(everything, `Y's ${field}`).not.to.include(value.toLowerCase());
    const groups = new Set(doc.sections.flatMap((s) => s.items.map((i) => i.group)));
    expect([...groups]).to.include.members(['Account', 'Orders', 'Consent history', 'Your privacy requests']);
    expect(files['index.html']).to.include(x.canaries['User.display_name']);
    expect(files['index.html']).not.to.match(/<script/i);
    // The download itself is a request in the register, completed.
    expect(await RightsRequest.count({ where: { user_id: x.userId, kind: 'export', status: 'completed' } })).to.equal(1);
  });

  it('erases X through the register: only retained fields keep X canaries, Y is untouched, a second erasure changes nothing, the consent chain verifies', async () => {
    const csrf = await tokenFor(agent, '/privacy/rights');
    const missing = await agent.post('/privacy/rights/erasure').type('form').send({ _csrf: csrf });
    expect(missing.status).to.equal(422);
    const asked = await agent.post('/privacy/rights/erasure').type('form').send({ _csrf: csrf, confirm: 'on' });
    expect(asked.status).to.equal(303);
    const request = (await RightsRequest.findOne({ where: { user_id: x.userId, kind: 'erasure' } }))!;
    expect(request.status).to.equal('verified');
    const status = await agent.get('/account/privacy');
    expect(status.text).to.include('Deletion (&#34;to be forgotten&#34;)');

    const admin = t.agent();
    await loginAsAdmin(admin);
    const detail = await admin.get(`/admin/privacy/requests/${request.id}`);
    const accepted = await admin.post(`/admin/privacy/requests/${request.id}/accept`).type('form').send({ _csrf: csrfFrom(detail.text) });
    expect(accepted.status).to.equal(303);
    const done = (await RightsRequest.findByPk(request.id))!;
    expect(done.status).to.equal('completed');
    expect(done.email).to.equal('erased@erased.invalid');
    const report = JSON.parse(done.report!) as { sections: Array<{ owner: string; eraser: string; removed: string[]; retained: Array<{ covers?: Record<string, string[]> }> }> };
    expect(report.sections.map((s) => `${s.owner}/${s.eraser}`)).to.include.members(['core/account', 'shops/orders', 'gdpr/requests']);
    const page = await admin.get(`/admin/privacy/requests/${request.id}`);
    expect(page.text).to.include('What each eraser did');

    const mail = await t.smtp!.waitFor(x.email, /Your data was deleted/);
    expect(mail.text).to.match(/Tax law/);

    // What is still there, and why: each place is a column an eraser declared kept with its reason.
    const kept = new Set(report.sections.flatMap((s) => s.retained.flatMap((r) => Object.entries(r.covers ?? {}).flatMap(([m, cols]) => cols.map((c) => `${m}.${c}`)))));
    expect([...kept]).to.include.members(['Order.ship_name', 'Order.ship_city', 'Order.ship_postcode']);
    const left = await findCanaries(t, x);
    expect(left).to.deep.equal({
      'Order.ship_name': ['orders.ship_name'],
      // Town and postcode are kept encrypted at rest (docs/security.md): only their model reads them.
      'Order.ship_city': ['orders.ship_city (encrypted)'],
      'Order.ship_postcode': ['orders.ship_postcode (encrypted)'],
      // The one mail after the erasure ("your data was deleted") goes to the address; the report declares it.
      'User.email': ['outbox.to_address'],
    });
    expect(kept.has('OutboxMessage.to_address')).to.equal(true);

    // Y is untouched.
    expect(Object.keys(await findCanaries(t, y)).sort()).to.deep.equal(Object.keys(y.canaries).sort());

    // Again: nothing changes.
    // Again: the only thing left to take is the confirmation mail sent after the first run (core's mail
    // eraser takes its text and address); a third run then changes nothing at all.
    const dump = async () => new Set((await textDump(t)).map((d) => `${d.where}=${d.value}`));
    const before = await dump();
    await t.platform.privacy.erasePerson({ email: x.email, userId: x.userId });
    const second = await dump();
    expect([...second].filter((v) => !before.has(v)).filter((v) => !v.startsWith('outbox.'))).to.deep.equal([]);
    expect([...before].filter((v) => !second.has(v)).map((v) => v.split('=')[0]).sort()).to.deep.equal(['outbox.html_body', 'outbox.text_body', 'outbox.to_address']);
    await t.platform.privacy.erasePerson({ email: x.email, userId: x.userId });
    const third = await dump();
    expect([...third].filter((v) => !second.has(v))).to.deep.equal([]);
    expect([...second].filter((v) => !third.has(v))).to.deep.equal([]);

    const verified = await consentServiceOf().verify();
    expect(verified.intact, JSON.stringify(verified.problems)).to.equal(true);
    // The account is gone: X cannot sign in any more.
    const relogin = t.agent();
    const token = await tokenFor(relogin, '/login');
    const res = await relogin.post('/login').type('form').send({ _csrf: token, login: x.email, password: PASSWORD });
    expect(res.status).to.not.equal(303);
  });
});

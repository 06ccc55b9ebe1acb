import { expect } from 'chai';
import { startTestApp, createUser, loginAsAdmin, tokenFor, csrfFrom, type TestApp } from '../../../helpers/app';
import { RightsRequest } from '../../../../plugins/gdpr/rights/models/rights-request';
import { RightsRequestEvent } from '../../../../plugins/gdpr/rights/models/rights-request-event';
import { askByEmail, binary, confirmFromMail, linkIn, unzip } from './rights-helpers';

describe('gdpr rights: requests by email (guests and anyone)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr'], smtp: true });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  it('shows the rights page with every right and the supervisory authority', async () => {
    const res = await t.agent().get('/privacy/rights');
    expect(res.status).to.equal(200);
    expect(res.text).to.include('Exercise your rights');
    expect(res.text).to.include('Your national data protection authority');
    expect(res.text).to.include('action="/privacy/rights/request"');
  });

  it("takes the supervisory authority from the plugin's settings (beside part 1's), refusing a non-web address", async () => {
    const form = await admin.get('/admin/settings/gdpr');
    expect(form.status).to.equal(200);
    expect(form.text).to.include('Supervisory authority');
    const csrf = csrfFrom(form.text);
    const bad = await admin.post('/admin/settings/gdpr').type('form').send({ _csrf: csrf, rightsAuthorityName: 'CNIL', rightsAuthorityWebsite: 'javascript:alert(1)' });
    expect(bad.status).to.equal(422);
    const saved = await admin.post('/admin/settings/gdpr').type('form').send({ _csrf: csrf, rightsAuthorityName: 'CNIL', rightsAuthorityAddress: '3 Place de Fontenoy, Paris', rightsAuthorityWebsite: 'https://www.cnil.fr', rightsVerifyHours: '48', rightsExportDays: '3', rightsNearlyDueDays: '7' });
    expect(saved.status).to.equal(303);
    const page = await t.agent().get('/privacy/rights');
    expect(page.text).to.include('CNIL');
    expect(page.text).to.include('href="https://www.cnil.fr"');
    const reset = await admin.post('/admin/settings/gdpr').type('form').send({ _csrf: csrf, rightsAuthorityName: 'Your national data protection authority', rightsAuthorityWebsite: '', rightsVerifyHours: '48', rightsExportDays: '3', rightsNearlyDueDays: '7' });
    expect(reset.status).to.equal(303);
  });

  it('answers a known and an unknown address with the same page, and both get a confirmation link', async () => {
    await createUser({ email: 'known.person@example.test' });
    const known = await askByEmail(t.agent(), 'access', 'known.person@example.test');
    const unknown = await askByEmail(t.agent(), 'access', 'nobody.here@example.test');
    expect(known.status).to.equal(200);
    expect(unknown.status).to.equal(200);
    const strip = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '').replace(/content="[^"]*csrf[^"]*"/g, '');
    const body = (html: string) => strip(html.slice(html.indexOf('<main'), html.indexOf('</main>')));
    expect(body(known.text)).to.equal(body(unknown.text));
    const a = await t.smtp!.waitFor('known.person@example.test', /Confirm your request/);
    const b = await t.smtp!.waitFor('nobody.here@example.test', /Confirm your request/);
    expect(a.subject).to.equal(b.subject);
    expect(a.text.replace(/confirm\/[\w-]+/, '').replace(/until .*UTC/, '')).to.equal(b.text.replace(/confirm\/[\w-]+/, '').replace(/until .*UTC/, ''));
  });

  it('refuses a bad address with 422 and the message on the page, writing nothing', async () => {
    const before = await RightsRequest.count();
    const res = await askByEmail(t.agent(), 'access', 'not-an-address');
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Enter your email address');
    expect(await RightsRequest.count()).to.equal(before);
  });

  it('writes one request when the same one is sent twice at once', async () => {
    const email = 'twice.at.once@example.test';
    const agent = t.agent();
    const csrf = await tokenFor(agent, '/privacy/rights');
    const send = () => agent.post('/privacy/rights/request').type('form').send({ _csrf: csrf, kind: 'erasure', email });
    const [r1, r2] = await Promise.all([send(), send()]);
    expect([r1.status, r2.status]).to.deep.equal([200, 200]);
    expect(await RightsRequest.count({ where: { email, kind: 'erasure' } })).to.equal(1);
  });

  it('verifies with a single-use link, the owner accepts, and the person downloads the export once', async () => {
    const { user } = await createUser({ email: 'guest.access@example.test', display_name: 'Access Person' });
    const agent = t.agent();
    expect((await askByEmail(agent, 'access', 'guest.access@example.test')).status).to.equal(200);
    const request = (await RightsRequest.findOne({ where: { email: 'guest.access@example.test' } }))!;
    expect(request.status).to.equal('awaiting_verification');

    const mail = await t.smtp!.waitFor('guest.access@example.test', /Confirm your request/);
    const link = linkIn(mail, '/privacy/rights/confirm/');
    // A GET (a mail scanner) does not confirm.
    expect((await agent.get(link)).status).to.equal(200);
    expect((await RightsRequest.findByPk(request.id))!.status).to.equal('awaiting_verification');
    const confirmed = await confirmFromMail(agent, t.smtp!, 'guest.access@example.test');
    expect(confirmed.status).to.equal(200);
    expect(confirmed.text).to.include('Your request is registered');
    const verified = (await RightsRequest.findByPk(request.id))!;
    expect(verified.status).to.equal('verified');
    expect(verified.user_id).to.equal(user.id);
    const days = (verified.due_at!.getTime() - verified.verified_at!.getTime()) / 86_400_000;
    expect(days).to.be.within(28, 31);
    // The link works once.
    const again = await agent.get(link);
    expect(again.status).to.equal(410);

    const list = await admin.get('/admin/privacy/requests');
    expect(list.status).to.equal(200);
    expect(list.text).to.include('guest.access@example.test');
    const detail = await admin.get(`/admin/privacy/requests/${request.id}`);
    const accept = await admin.post(`/admin/privacy/requests/${request.id}/accept`).type('form').send({ _csrf: csrfFrom(detail.text) });
    expect(accept.status).to.equal(303);
    const done = (await RightsRequest.findByPk(request.id))!;
    expect(done.status).to.equal('completed');
    expect(done.file_id).to.be.a('string');

    const ready = await t.smtp!.waitFor('guest.access@example.test', /ready to download/);
    const download = linkIn(ready, '/privacy/rights/download/');
    const zip = await t.agent().get(download).buffer(true).parse(binary);
    expect(zip.status).to.equal(200);
    expect(zip.headers['content-type']).to.match(/application\/zip/);
    const files = await unzip(zip.body as Buffer);
    expect(Object.keys(files)).to.include.members(['export.json', 'export.schema.json', 'index.html']);
    expect(files['export.json']).to.include('Access Person');
    // Single use, and the archive is deleted from the server once sent.
    expect((await t.agent().get(download)).status).to.equal(410);
    for (let i = 0; i < 40 && (await t.platform.files.forOwner('gdpr').private.info(done.file_id!)); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await t.platform.files.forOwner('gdpr').private.info(done.file_id!)).to.equal(undefined);

    const history = await RightsRequestEvent.findAll({ where: { request_id: request.id }, order: [['id', 'ASC']] });
    expect(history.map((e) => e.to_status)).to.deep.equal(['awaiting_verification', 'verified', 'accepted', 'completed']);
  });

  it('lets only the allowed status changes through: accepting twice, or rejecting an accepted request, is refused', async () => {
    const agent = t.agent();
    await askByEmail(agent, 'erasure', 'status.changes@example.test');
    await confirmFromMail(agent, t.smtp!, 'status.changes@example.test');
    const request = (await RightsRequest.findOne({ where: { email: 'status.changes@example.test' } }))!;
    const csrf = csrfFrom((await admin.get(`/admin/privacy/requests/${request.id}`)).text);
    // Rejecting needs a reason.
    const noReason = await admin.post(`/admin/privacy/requests/${request.id}/reject`).type('form').send({ _csrf: csrf, reason: '' });
    expect(noReason.status).to.equal(422);
    expect(noReason.text).to.include('Give the reason');
    // Two accepts at once: the work is done once.
    const [a, b] = await Promise.all([
      admin.post(`/admin/privacy/requests/${request.id}/accept`).type('form').send({ _csrf: csrf }),
      admin.post(`/admin/privacy/requests/${request.id}/accept`).type('form').send({ _csrf: csrf }),
    ]);
    expect([a.status, b.status].sort()).to.deep.equal([303, 409]);
    const rejected = await admin.post(`/admin/privacy/requests/${request.id}/reject`).type('form').send({ _csrf: csrf, reason: 'Changed my mind about it' });
    expect(rejected.status).to.equal(409);
    const history = await RightsRequestEvent.findAll({ where: { request_id: request.id } });
    expect(history.filter((e) => e.action === 'accepted')).to.have.length(1);
    expect((await RightsRequest.findByPk(request.id))!.status).to.equal('completed');
  });

  it('rejects with a reason: the person is told, with the supervisory authority', async () => {
    const agent = t.agent();
    await askByEmail(agent, 'access', 'to.reject@example.test');
    await confirmFromMail(agent, t.smtp!, 'to.reject@example.test');
    const request = (await RightsRequest.findOne({ where: { email: 'to.reject@example.test' } }))!;
    const csrf = csrfFrom((await admin.get(`/admin/privacy/requests/${request.id}`)).text);
    const res = await admin.post(`/admin/privacy/requests/${request.id}/reject`).type('form').send({ _csrf: csrf, reason: 'We could not confirm your identity' });
    expect(res.status).to.equal(303);
    const mail = await t.smtp!.waitFor('to.reject@example.test', /refused/);
    expect(mail.text).to.include('We could not confirm your identity');
    expect(mail.text.replace(/\s+/g, ' ')).to.include('Your national data protection authority');
    expect((await RightsRequest.findByPk(request.id))!.reject_reason).to.equal('We could not confirm your identity');
  });

  it('extends the deadline by at most two months in all, with a reason the person receives', async () => {
    const agent = t.agent();
    await askByEmail(agent, 'access', 'to.extend@example.test');
    await confirmFromMail(agent, t.smtp!, 'to.extend@example.test');
    const request = (await RightsRequest.findOne({ where: { email: 'to.extend@example.test' } }))!;
    const csrf = csrfFrom((await admin.get(`/admin/privacy/requests/${request.id}`)).text);
    const first = await admin.post(`/admin/privacy/requests/${request.id}/extend`).type('form').send({ _csrf: csrf, months: '2', reason: 'Many orders across many shops to gather' });
    expect(first.status).to.equal(303);
    const extended = (await RightsRequest.findByPk(request.id))!;
    expect(extended.extended_months).to.equal(2);
    expect(extended.due_at!.getTime()).to.be.greaterThan(request.due_at!.getTime() + 55 * 86_400_000);
    const mail = await t.smtp!.waitFor('to.extend@example.test', /more time/);
    expect(mail.text).to.include('Many orders across many shops');
    const more = await admin.post(`/admin/privacy/requests/${request.id}/extend`).type('form').send({ _csrf: csrf, months: '1', reason: 'Still more to gather here' });
    expect(more.status).to.equal(422);
    expect(more.text).to.include('2 months at most');
  });

  it('expires a request whose link was not followed in time; the old link then says so', async () => {
    const agent = t.agent();
    await askByEmail(agent, 'access', 'too.late@example.test');
    const mail = await t.smtp!.waitFor('too.late@example.test', /Confirm your request/);
    const link = linkIn(mail, '/privacy/rights/confirm/');
    await RightsRequest.update({ token_expires_at: new Date(Date.now() - 1000) }, { where: { email: 'too.late@example.test' } });
    expect((await agent.get(link)).status).to.equal(410);
    await t.platform.jobs.enqueue('gdpr.rights.housekeeping', {});
    for (let i = 0; i < 100 && (await RightsRequest.findOne({ where: { email: 'too.late@example.test' } }))!.status !== 'expired'; i++) await new Promise((r) => setTimeout(r, 50));
    const expired = (await RightsRequest.findOne({ where: { email: 'too.late@example.test' } }))!;
    expect(expired.status).to.equal('expired');
    expect(expired.pending_key).to.equal(null);
  });
});

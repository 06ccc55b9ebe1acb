import { expect } from 'chai';
import type { Request } from 'express';
import { startTestApp, createUser, login, loginAsAdmin, csrfFrom, tokenFor, type TestApp } from '../../../helpers/app';
import { OutboxMessage } from '../../../../core/mail/outbox-model';
import { RightsRequest } from '../../../../plugins/gdpr/rights/models/rights-request';
import { Breach } from '../../../../plugins/gdpr/rights/models/breach';
import { askByEmail, confirmFromMail } from './rights-helpers';

describe('gdpr rights: objection, corrections, breaches and the dashboard count', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr'], smtp: true });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  const marketing = (to: string, userId?: number) => t.platform.mailer.send({ to, userId, subject: 'Our spring sale', template: 'gdpr/rights/mail/objection', data: { rightsUrl: '/' }, category: 'marketing' });
  const statusOf = async (id: number) => (await OutboxMessage.findByPk(id))!.status;

  it('stops marketing at once for a signed-in person who objects, with one form, and logs it', async () => {
    const { user, password } = await createUser({ email: 'objector@example.test' });
    const agent = t.agent();
    await login(agent, user.email, password);
    const csrf = await tokenFor(agent, '/privacy/rights');
    const before = await marketing(user.email, user.id);
    const unticked = await agent.post('/privacy/rights/objection').type('form').send({ _csrf: csrf });
    expect(unticked.status).to.equal(422);
    expect(unticked.text).to.include('Tick the box');
    const res = await agent.post('/privacy/rights/objection').type('form').send({ _csrf: csrf, confirm: 'on' });
    expect(res.status).to.equal(303);
    const logged = (await RightsRequest.findOne({ where: { user_id: user.id, kind: 'objection' } }))!;
    expect(logged.status).to.equal('completed');
    const after = await marketing(user.email, user.id);
    expect(await statusOf(after)).to.equal('cancelled');
    expect((await OutboxMessage.findByPk(after))!.cancel_reason).to.match(/objected/);
    expect(await statusOf(before)).to.not.equal('cancelled');
    await t.smtp!.waitFor(user.email, /stopped all marketing/);
    // Targeting consent is off for them whatever a banner says.
    const req = { user: { id: user.id, email: user.email }, session: {} } as unknown as Request;
    const categories = await t.platform.hooks.apply('core.consent.categories', new Set(['necessary', 'marketing', 'statistics'] as const), req);
    expect([...categories].sort()).to.deep.equal(['necessary', 'statistics']);
    // Transactional mail still goes.
    const receipt = await t.platform.mailer.send({ to: user.email, subject: 'Your receipt', template: 'gdpr/rights/mail/objection', data: { rightsUrl: '/' } });
    expect(await statusOf(receipt)).to.not.equal('cancelled');
  });

  it('lets a guest object by email: confirmed by the link, done at once without a decision', async () => {
    const agent = t.agent();
    expect((await askByEmail(agent, 'objection', 'guest.objector@example.test')).status).to.equal(200);
    const confirmed = await confirmFromMail(agent, t.smtp!, 'guest.objector@example.test');
    expect(confirmed.text).to.include('Marketing stopped');
    const request = (await RightsRequest.findOne({ where: { email: 'guest.objector@example.test' } }))!;
    expect(request.status).to.equal('completed');
    expect(await statusOf(await marketing('guest.objector@example.test'))).to.equal('cancelled');
  });

  it('logs a correction made on the account page, naming the fields and not the values', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    const csrf = await tokenFor(agent, '/account');
    const res = await agent.post('/account').type('form').send({ _csrf: csrf, first_name: 'Corrected', last_name: user.last_name, display_name: 'Corrected Name', email: user.email });
    expect(res.status).to.equal(303);
    let logged: RightsRequest | null = null;
    for (let i = 0; i < 40 && !logged; i++) {
      logged = await RightsRequest.findOne({ where: { user_id: user.id, kind: 'correction' } });
      if (!logged) await new Promise((r) => setTimeout(r, 25));
    }
    expect(logged!.status).to.equal('completed');
    expect(logged!.details).to.equal('Corrected from the account: first name, display name');
    expect(logged!.details).to.not.include('Corrected Name');
  });

  it('records a breach with its 72-hour countdown, marks it notified, and emails the people affected once', async () => {
    const page = await admin.get('/admin/privacy/breaches');
    expect(page.status).to.equal(200);
    const csrf = csrfFrom(page.text);
    const empty = await admin.post('/admin/privacy/breaches').type('form').send({ _csrf: csrf, title: '' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.include('Say what happened');
    expect(await Breach.count()).to.equal(0);
    const discovered = new Date(Date.now() - 2 * 3600_000).toISOString().slice(0, 16);
    const created = await admin.post('/admin/privacy/breaches').type('form').send({
      _csrf: csrf,
      title: 'Backup copied to a public bucket',
      description: 'A database backup was readable for 3 hours.',
      discovered_at: discovered,
      people_affected: '120',
      data_affected: 'names, email addresses, delivery addresses',
      measures: 'Bucket closed, access logs reviewed, keys rotated.',
    });
    expect(created.status).to.equal(303);
    const detail = await admin.get(created.headers.location as string);
    expect(detail.text).to.match(/(69|70) h \d+ min left/);
    const breach = (await Breach.findOne())!;
    const notified = await admin.post(`/admin/privacy/breaches/${breach.id}/notified`).type('form').send({ _csrf: csrf, authority_reference: 'CNIL-2026-123' });
    expect(notified.status).to.equal(303);
    expect((await Breach.findByPk(breach.id))!.notified_at).to.not.equal(null);
    const bad = await admin.post(`/admin/privacy/breaches/${breach.id}/notify-users`).type('form').send({ _csrf: csrf, emails: 'nope', message: 'Change your password' });
    expect(bad.status).to.equal(422);
    const send = () => admin.post(`/admin/privacy/breaches/${breach.id}/notify-users`).type('form').send({ _csrf: csrf, emails: 'hit.one@example.test\nhit.two@example.test', message: 'Please change your password.' });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    await t.smtp!.waitFor('hit.two@example.test', /security incident/);
    expect(await OutboxMessage.count({ where: { to_address: 'hit.one@example.test' } })).to.equal(1);
    expect((await Breach.findByPk(breach.id))!.users_notified_count).to.equal(2);
  });

  it('counts overdue and nearly due requests on the admin dashboard and highlights them in the register', async () => {
    const base = { kind: 'access' as const, email_hash: 'h', user_id: null, source: 'email' as const, status: 'verified' as const, received_at: new Date() };
    await RightsRequest.create({ ...base, email: 'late@example.test', due_at: new Date(Date.now() - 86_400_000) });
    await RightsRequest.create({ ...base, email: 'soon@example.test', due_at: new Date(Date.now() + 2 * 86_400_000) });
    const dashboard = await admin.get('/admin');
    expect(dashboard.text).to.match(/1 overdue/);
    expect(dashboard.text).to.match(/1 due soon/);
    const list = await admin.get('/admin/privacy/requests?status=open');
    expect(list.text).to.include('clock-overdue');
    expect(list.text).to.include('clock-nearly_due');
  });
});

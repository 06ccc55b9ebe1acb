import { expect } from 'chai';
import type { Model, ModelStatic } from 'sequelize';
import type { Request } from 'express';
import { startTestApp, createUser, login, loginAsAdmin, csrfFrom, tokenFor, type TestApp } from '../../../helpers/app';
import { Canaries, activeModels, canaryCheck } from '../../../../core/privacy/coverage';
import { OutboxMessage } from '../../../../core/mail/outbox-model';
import { RightsRequest } from '../../../../plugins/gdpr/rights/models/rights-request';
import { RetentionRun } from '../../../../plugins/gdpr/rights/models/retention-run';
import { Breach } from '../../../../plugins/gdpr/rights/models/breach';
import { askByEmail, confirmFromMail } from './rights-helpers';
import { seeders } from '../privacy-seeders';
import { shopModels } from '../../shops/shop-models';

const DAY = 86_400_000;

describe('gdpr rights: retention sweep (time travel, dry run, settings), privacy pieces, objection, corrections, breaches, dashboard', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  before(async () => {
    t = await startTestApp({ plugins: ['shops', 'gdpr'], smtp: true });
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  /** Moves a row's timestamps into the past, as if the days had gone by. */
  const age = async (table: string, id: number, days: number, columns: string[]) => {
    const when = new Date(Date.now() - days * DAY);
    await t.platform.sequelize.query(`UPDATE ${table} SET ${columns.map((c) => `${c} = :when`).join(', ')} WHERE id = :id`, { replacements: { when, id } });
  };
  const request = (fields: Partial<RightsRequest>) =>
    RightsRequest.create({ kind: 'access', email: `r${Math.random().toString(36).slice(2)}@example.test`, email_hash: 'h', user_id: null, source: 'email', status: 'completed', received_at: new Date(), ...fields });
  const run = async (dryRun: boolean) => {
    const page = await admin.get('/admin/privacy/retention');
    const res = await admin.post('/admin/privacy/retention/run').type('form').send({ _csrf: csrfFrom(page.text), ...(dryRun ? { dry_run: '1' } : {}) });
    expect(res.status).to.equal(303);
    const id = Number(/run=(\d+)/.exec(res.headers.location as string)![1]);
    return (await RetentionRun.findByPk(id))!;
  };
  const line = (r: RetentionRun, kind: string) => r.lines().find((l) => l.kind === kind)!;

  it('lists every declared kind with its default, and a dry run reports what it would change while changing nothing', async () => {
    const page = await admin.get('/admin/privacy/retention');
    expect(page.status).to.equal(200);
    for (const kind of ['core.sessions', 'core.outbox', 'shops.carts', 'shops.paid-orders', 'gdpr.exports', 'gdpr.unverified-requests', 'gdpr.closed-requests']) expect(page.text).to.include(kind);

    const stale = await request({ status: 'expired' });
    const fresh = await request({ status: 'expired' });
    await age('gdpr_rights_requests', stale.id, 31, ['created_at', 'updated_at']);
    await age('gdpr_rights_requests', fresh.id, 29, ['created_at', 'updated_at']);
    const dry = await run(true);
    expect(dry.dry_run).to.equal(true);
    expect(line(dry, 'gdpr.unverified-requests').removed).to.equal(1);
    expect(await RightsRequest.findByPk(stale.id)).to.not.equal(null);
    const page2 = await admin.get(`/admin/privacy/retention?run=${dry.id}`);
    expect(page2.text).to.include('nothing was changed');
    expect(page2.text).to.include('Would remove');

    const real = await run(false);
    expect(line(real, 'gdpr.unverified-requests').removed).to.equal(1);
    expect(await RightsRequest.findByPk(stale.id)).to.equal(null);
    expect(await RightsRequest.findByPk(fresh.id)).to.not.equal(null);
  });

  it('deletes export archives past their days (not in a dry run), and shreds the address of answered requests after three years', async () => {
    const files = t.platform.files.forOwner('gdpr').private;
    const file = await files.save(Buffer.from('zip'), { name: 'personal-data.zip', type: 'application/zip' });
    const old = await request({ file_id: file.id, completed_at: new Date(Date.now() - 4 * DAY) });
    const recent = await files.save(Buffer.from('zip'), { name: 'personal-data.zip', type: 'application/zip' });
    const kept = await request({ file_id: recent.id, completed_at: new Date(Date.now() - 2 * DAY) });
    const answered = await request({});
    await age('gdpr_rights_requests', answered.id, 3 * 365 + 1, ['updated_at']);

    const dry = await run(true);
    expect(line(dry, 'gdpr.exports').removed).to.equal(1);
    expect(await files.info(file.id)).to.not.equal(undefined);

    const real = await run(false);
    expect(line(real, 'gdpr.exports').removed).to.equal(1);
    expect(line(real, 'gdpr.closed-requests').anonymized).to.equal(1);
    expect(await files.info(file.id)).to.equal(undefined);
    expect((await RightsRequest.findByPk(old.id))!.file_id).to.equal(null);
    expect(await files.info(recent.id)).to.not.equal(undefined);
    expect((await RightsRequest.findByPk(kept.id))!.file_id).to.equal(recent.id);
    const shredded = (await RightsRequest.findByPk(answered.id))!;
    expect(shredded.email).to.equal('erased@erased.invalid');
    expect(shredded.erased_at).to.not.equal(null);
  });

  it('applies core and shops rules with the days the owner sets (time travel: carts, outbox)', async () => {
    const { Cart } = shopModels();
    const { user } = await createUser();
    const cart = await Cart.create({ user_id: user.id } as never);
    await age('carts', cart.id, 25, ['created_at', 'updated_at']);
    const mail = await OutboxMessage.create({ to_address: 'old.mail@example.test', subject: 'Old', text_body: 'old', html_body: '<p>old</p>', status: 'sent' });
    await t.platform.sequelize.query('UPDATE outbox SET created_at = :when WHERE id = :id', { replacements: { when: new Date(Date.now() - 40 * DAY), id: mail.id } });

    // With the declared defaults (carts 30 days, outbox 90 days) nothing goes.
    let r = await run(false);
    expect(line(r, 'shops.carts').removed).to.equal(0);
    expect(line(r, 'core.outbox').removed).to.equal(0);

    // The owner keeps carts 20 days and mail 30 days: a bad value is refused on the page first.
    const page = await admin.get('/admin/privacy/retention');
    const bad = await admin.post('/admin/privacy/retention').type('form').send({ _csrf: csrfFrom(page.text), 'days_shops.carts': '-3' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('Enter a whole number of days');
    const saved = await admin.post('/admin/privacy/retention').type('form').send({ _csrf: csrfFrom(page.text), 'days_shops.carts': '20', 'days_core.outbox': '30' });
    expect(saved.status).to.equal(303);
    r = await run(false);
    expect(line(r, 'shops.carts')).to.include({ days: 20, removed: 1 });
    expect(line(r, 'core.outbox').removed).to.equal(1);
    expect(await Cart.findByPk(cart.id)).to.equal(null);
    expect(await OutboxMessage.findByPk(mail.id)).to.equal(null);
  });

  it("passes the canary check on gdpr's own models: exported, then erased or kept with a reason", async () => {
    const { user } = await createUser({ email: 'gdpr.canary@example.test' });
    const person = { email: 'gdpr.canary@example.test', userId: user.id };
    const canaries = new Canaries();
    for (const seed of Object.values(seeders)) await seed(t, person, canaries);
    const gdprModels = activeModels(t.platform.sequelize.models as Record<string, ModelStatic<Model>>, (m) => t.platform.plugins.modelOwner(m), (p) => t.platform.plugins.isActive(p)).filter((m) => m.owner === 'gdpr');
    const report = await canaryCheck(t.platform.privacy, gdprModels, canaries, person);
    expect(report.unseeded).to.deep.equal([]);
    expect(report.notExported).to.deep.equal([]);
    expect(report.notErased).to.deep.equal([]);
    expect(canaries.entries().map((e) => e.model)).to.include('RightsRequest');
  });

  it('shows the record of processing from every declaration, and exports it as CSV', async () => {
    const page = await admin.get('/admin/privacy/records');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Answer requests to exercise data protection rights');
    expect(page.text).to.include('Take, deliver and support the orders');
    const csv = await admin.get('/admin/privacy/records.csv');
    expect(csv.headers['content-type']).to.match(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).to.equal('controller,owner,purpose,data,legal_basis,recipients,retention,retention_rules');
    expect(csv.text).to.include('legal_obligation');
    const customer = t.agent();
    const { user } = await createUser({ password: 'correct-horse-battery-staple' });
    await login(customer, user.email, 'correct-horse-battery-staple');
    expect((await customer.get('/admin/privacy/records')).status).to.equal(403);
    expect((await customer.get('/admin/privacy/requests')).status).to.equal(403);
  });

  // Objection, corrections, breaches and the dashboard count (one app for the whole file).
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
    // The dashboard counts down too, until it is marked notified.
    expect((await admin.get('/admin')).text).to.match(/Backup copied to a public bucket<\/a>:\s*<strong>(69|70) h \d+ min<\/strong> left to notify/);
    const notified = await admin.post(`/admin/privacy/breaches/${breach.id}/notified`).type('form').send({ _csrf: csrf, authority_reference: 'CNIL-2026-123' });
    expect(notified.status).to.equal(303);
    expect((await Breach.findByPk(breach.id))!.notified_at).to.not.equal(null);
    expect((await admin.get('/admin')).text).to.include('No breach waits for its notification.');
    // One discovered more than 72 hours ago says so, on its page and on the dashboard.
    const late = await Breach.create({ title: 'Laptop stolen', description: 'Unencrypted laptop', discovered_at: new Date(Date.now() - 80 * 3600_000), people_affected: 3, data_affected: 'names', measures: 'Passwords reset', created_by: null });
    expect((await admin.get(`/admin/privacy/breaches/${late.id}`)).text).to.include('The 72 hours have passed');
    expect((await admin.get('/admin')).text).to.include('the 72 hours have passed');
    await late.update({ notified_at: new Date() });
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

import { expect } from 'chai';
import type { Model, ModelStatic } from 'sequelize';
import { startTestApp, createUser, login, loginAsAdmin, csrfFrom, type TestApp } from '../../../helpers/app';
import { Canaries, activeModels, canaryCheck } from '../../../../core/privacy/coverage';
import { OutboxMessage } from '../../../../core/mail/outbox-model';
import { RightsRequest } from '../../../../plugins/gdpr/rights/models/rights-request';
import { RetentionRun } from '../../../../plugins/gdpr/rights/models/retention-run';
import { seeders } from '../privacy-seeders';
import { shopModels } from '../../shops/shop-models';

const DAY = 86_400_000;

describe('gdpr rights: retention sweep (time travel, dry run, settings) and its own privacy pieces', function () {
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
    await age('carts', cart.id, 40, ['created_at', 'updated_at']);
    const mail = await OutboxMessage.create({ to_address: 'old.mail@example.test', subject: 'Old', text_body: 'old', html_body: '<p>old</p>', status: 'sent' });
    await t.platform.sequelize.query('UPDATE outbox SET created_at = :when WHERE id = :id', { replacements: { when: new Date(Date.now() - 40 * DAY), id: mail.id } });

    // With the declared defaults (carts 90 days, outbox 90 days) nothing goes.
    let r = await run(false);
    expect(line(r, 'shops.carts').removed).to.equal(0);
    expect(line(r, 'core.outbox').removed).to.equal(0);

    // The owner keeps carts 30 days and mail 30 days: a bad value is refused on the page first.
    const page = await admin.get('/admin/privacy/retention');
    const bad = await admin.post('/admin/privacy/retention').type('form').send({ _csrf: csrfFrom(page.text), 'days_shops.carts': '-3' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('Enter a whole number of days');
    const saved = await admin.post('/admin/privacy/retention').type('form').send({ _csrf: csrfFrom(page.text), 'days_shops.carts': '30', 'days_core.outbox': '30' });
    expect(saved.status).to.equal(303);
    r = await run(false);
    expect(line(r, 'shops.carts')).to.include({ days: 30, removed: 1 });
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
    expect(csv.text.split('\r\n')[0]).to.equal('owner,purpose,data,legal_basis,recipients,retention');
    expect(csv.text).to.include('legal_obligation');
    const customer = t.agent();
    const { user } = await createUser({ password: 'correct-horse-battery-staple' });
    await login(customer, user.email, 'correct-horse-battery-staple');
    expect((await customer.get('/admin/privacy/records')).status).to.equal(403);
    expect((await customer.get('/admin/privacy/requests')).status).to.equal(403);
  });
});

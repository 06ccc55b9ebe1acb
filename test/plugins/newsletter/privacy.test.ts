import { expect } from 'chai';
import { startTestApp, createUser, loginAsAdmin, csrfFrom, type TestApp } from '../../helpers/app';
import { NewsletterEvent, NewsletterSubscriber, NewsletterSuppression, NewsletterDelivery } from '../../../plugins/newsletter/models';
import { addressHash } from '../../../plugins/newsletter/services/addresses';
import { saveSettings, subscribeConfirmed } from './helpers';
import { Canaries, activeModels, canaryCheck } from '../../../core/privacy/coverage';
import { seeders } from './privacy-seeders';
import type { Model, ModelStatic } from 'sequelize';

describe('newsletter: privacy (export, erasure, retention)', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['newsletter'], smtp: true });
    await saveSettings(t, { batchIntervalSeconds: 0 });
  });
  after(async () => t.close());

  const exporter = () => t.platform.privacy.listExporters().find((e) => e.owner === 'newsletter')!;
  const eraser = () => t.platform.privacy.listErasers().find((e) => e.owner === 'newsletter')!;

  it('exports the subscription and its history, found by address or account', async () => {
    const { user } = await createUser({ email: 'export.me@example.test' });
    await subscribeConfirmed(t, 'export.me@example.test');
    const page = await exporter().exportPage({ email: 'export.me@example.test', userId: user.id }, 1);
    const groups = page.items.map((i) => i.group);
    expect(groups).to.include('Newsletter subscription').and.include('Newsletter subscription history');
    const subscription = page.items.find((i) => i.group === 'Newsletter subscription')!;
    expect(subscription.data).to.include({ email: 'export.me@example.test', status: 'confirmed', source: 'page' });
    expect(page.items.filter((i) => i.group === 'Newsletter subscription history').map((i) => i.data.what)).to.deep.equal(['subscribed', 'confirmed']);
    expect(page.done).to.equal(true);
  });

  it('erases the subscription, its history and its deliveries, leaving only the hashed suppression entry, and says so', async () => {
    await subscribeConfirmed(t, 'erase.me@example.test');
    const admin = t.agent();
    await loginAsAdmin(admin);
    const list = await admin.get('/admin/newsletter/campaigns');
    const created = await admin.post('/admin/newsletter/campaigns').type('form').send({ _csrf: csrfFrom(list.text), subject: 'Before erasure', body: 'Hi' });
    const page = await admin.get(created.headers.location);
    await admin.post(`${created.headers.location}/send`).type('form').send({ _csrf: csrfFrom(page.text) });
    await t.platform.jobs.idle(30_000);
    const subscriber = (await NewsletterSubscriber.findOne({ where: { email: 'erase.me@example.test' } }))!;
    expect(await NewsletterDelivery.count({ where: { subscriber_id: subscriber.id } })).to.equal(1);

    const report = await eraser().erasePage({ email: 'erase.me@example.test' }, 1);
    expect(report.removed.join(' ')).to.match(/1 newsletter subscription/).and.match(/2 entries of the subscription history/);
    expect(report.retained).to.have.length(1);
    expect(report.retained[0].what).to.match(/hash of the email address on the newsletter suppression list/);
    expect(await NewsletterSubscriber.count({ where: { email_hash: addressHash('erase.me@example.test') } })).to.equal(0);
    expect(await NewsletterEvent.count({ where: { subscriber_id: subscriber.id } })).to.equal(0);
    expect(await NewsletterDelivery.count({ where: { subscriber_id: subscriber.id } })).to.equal(0);
    const suppressed = await NewsletterSuppression.findAll({ where: { address_hash: addressHash('erase.me@example.test') } });
    expect(suppressed.map((s) => s.reason)).to.deep.equal(['erased']);
    // Nothing of the address is left in plain text anywhere in the plugin's tables.
    for (const table of ['newsletter_subscribers', 'newsletter_events', 'newsletter_suppressions', 'newsletter_deliveries']) {
      const [rows] = await t.platform.sequelize.query(`SELECT * FROM ${table}`);
      expect(JSON.stringify(rows)).to.not.include('erase.me@example.test');
    }
    // An erasure with nothing left to erase reports nothing.
    const again = await eraser().erasePage({ email: 'erase.me@example.test' }, 1);
    expect(again).to.deep.equal({ removed: [], anonymized: [], retained: [], done: true });
  });

  it('passes the canary check on its own models: every personal value exported, none left after erasure', async () => {
    const { user } = await createUser({ email: 'canary.nl@example.test' });
    const person = { email: 'canary.nl@example.test', userId: user.id };
    const canaries = new Canaries();
    for (const seed of Object.values(seeders)) await seed(t, person, canaries);
    const models = activeModels(t.platform.sequelize.models as Record<string, ModelStatic<Model>>, (m) => t.platform.plugins.modelOwner(m), (p) => t.platform.plugins.isActive(p)).filter((m) => m.owner === 'newsletter');
    const report = await canaryCheck(t.platform.privacy, models, canaries, person);
    expect(report.unseeded).to.deep.equal([]);
    expect(report.notExported).to.deep.equal([]);
    expect(report.notErased).to.deep.equal([]);
    expect(report.keptWithReason).to.deep.equal([]);
    expect(canaries.entries().map((e) => `${e.model}.${e.attribute}`).sort()).to.deep.equal(['NewsletterEvent.ip', 'NewsletterSubscriber.email']);
  });

  it('declares its retention of unconfirmed signups and removes them past the cutoff', async () => {
    const rule = t.platform.privacy.retentions().find((r) => r.kind === 'newsletter.unconfirmed')!;
    expect(rule.legalBasis).to.equal('consent');
    const old = await NewsletterSubscriber.create({ email: 'stale@example.test', email_hash: addressHash('stale@example.test'), user_id: null, status: 'pending', source: 'page', confirm_nonce: 'x', consented_at: new Date(Date.now() - 40 * 86400_000), confirmed_at: null, unsubscribed_at: null });
    await NewsletterEvent.create({ subscriber_id: old.id, kind: 'subscribed', how: 'signup form at /newsletter', ip: '192.0.2.1' });
    const outcome = await rule.apply(new Date(Date.now() - 30 * 86400_000));
    expect(outcome.removed).to.equal(1);
    expect(await NewsletterSubscriber.count({ where: { email: 'stale@example.test' } })).to.equal(0);
    expect(await NewsletterSubscriber.count({ where: { status: 'confirmed' } })).to.be.greaterThan(0);
    expect(t.platform.privacy.processings().some((p) => p.owner === 'newsletter' && p.legalBasis === 'consent')).to.equal(true);
  });
});

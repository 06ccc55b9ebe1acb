import { expect } from 'chai';
import { startTestApp, csrfFrom, loginAsAdmin, type TestApp } from '../../../helpers/app';
import { OutboxMessage } from '../../../../core/mail/outbox-model';
import { NewsletterEvent, NewsletterSubscriber, NewsletterSuppression } from '../../../../plugins/newsletter/models';
import { addressHash } from '../../../../plugins/newsletter/services/addresses';
import { confirmWith, linkIn, saveSettings, signup, subscribeConfirmed } from '../helpers';

describe('newsletter: one-click unsubscribe and the suppression list', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['newsletter'], smtp: true });
    await saveSettings(t, { batchIntervalSeconds: 0, signupLimitPerHour: 1000 });
  });
  after(async () => t.close());

  let admin: ReturnType<TestApp['agent']> | undefined;
  /** Sends a campaign through the admin pages and waits for it to go out. */
  async function sendCampaign(subject: string): Promise<void> {
    if (!admin) {
      admin = t.agent();
      await loginAsAdmin(admin);
    }
    const list = await admin.get('/admin/newsletter/campaigns');
    const created = await admin.post('/admin/newsletter/campaigns').type('form').send({ _csrf: csrfFrom(list.text), subject, body: 'News of the week.' });
    const page = await admin.get(created.headers.location);
    expect((await admin.post(`${created.headers.location}/send`).type('form').send({ _csrf: csrfFrom(page.text) })).status).to.equal(303);
    await t.platform.jobs.idle(30_000);
  }

  const oneClickOf = (header: string) => /<http:\/\/agora\.test(\/newsletter\/one-click\?token=[\w.-]+)>/.exec(header)![1];

  it('unsubscribes from the email link without logging in, keeping only a hash, and mails the address no more', async () => {
    await subscribeConfirmed(t, 'leaving@example.test');
    await sendCampaign('Issue 1');
    const mail = await t.smtp!.waitFor('leaving@example.test', /^Issue 1$/);
    const link = linkIn(mail, '/newsletter/unsubscribe');
    const guest = t.agent();
    const page = await guest.get(link);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Unsubscribe from');
    const action = /<form method="post" action="([^"]+)"/.exec(page.text)![1].replace(/&amp;/g, '&');
    const done = await guest.post(action).type('form').send('');
    expect(done.status).to.equal(200);
    expect(done.text).to.include('You are unsubscribed');

    const hash = addressHash('leaving@example.test');
    const row = (await NewsletterSubscriber.findOne({ where: { email_hash: hash } }))!;
    expect([row.status, row.email]).to.deep.equal(['unsubscribed', null]);
    expect(row.unsubscribed_at).to.be.instanceOf(Date);
    expect(await NewsletterSuppression.count({ where: { address_hash: hash } })).to.equal(1);
    const event = await NewsletterEvent.findOne({ where: { subscriber_id: row.id, kind: 'unsubscribed' } });
    expect(event!.how).to.equal('unsubscribe link in an email');
    expect(await NewsletterSubscriber.count({ where: { email: 'leaving@example.test' } })).to.equal(0);

    await subscribeConfirmed(t, 'other@example.test');
    await sendCampaign('Issue 2');
    expect(await OutboxMessage.count({ where: { to_address: 'other@example.test', subject: 'Issue 2' } })).to.equal(1);
    expect(await OutboxMessage.count({ where: { to_address: 'leaving@example.test', subject: 'Issue 2' } })).to.equal(0);
  });

  it('takes the RFC 8058 one-click POST from a mail client, with no session and no CSRF token, once', async () => {
    await subscribeConfirmed(t, 'client@example.test');
    await sendCampaign('Issue 3');
    const mail = await t.smtp!.waitFor('client@example.test', /^Issue 3$/);
    const path = oneClickOf(mail.headers['list-unsubscribe']);
    const post = () => t.agent().post(path).set('Content-Type', 'application/x-www-form-urlencoded').send('List-Unsubscribe=One-Click');
    const answers = await Promise.all([post(), post()]);
    expect(answers.map((r) => r.status)).to.deep.equal([200, 200]);
    expect(answers[0].headers['set-cookie']).to.equal(undefined);
    const row = (await NewsletterSubscriber.findOne({ where: { email_hash: addressHash('client@example.test') } }))!;
    expect(row.status).to.equal('unsubscribed');
    const events = await NewsletterEvent.findAll({ where: { subscriber_id: row.id, kind: 'unsubscribed' } });
    expect(events.map((e) => e.how)).to.deep.equal(['one-click from the mail client (List-Unsubscribe-Post)']);
  });

  it('refuses a tampered unsubscribe link and changes nothing', async () => {
    await subscribeConfirmed(t, 'stays@example.test');
    await sendCampaign('Issue 4');
    const mail = await t.smtp!.waitFor('stays@example.test', /^Issue 4$/);
    const path = oneClickOf(mail.headers['list-unsubscribe']);
    const [base, sig] = path.split('.');
    const tampered = `${base}.${sig.slice(0, -3)}abc`;
    const res = await t.agent().post(tampered).type('form').send('List-Unsubscribe=One-Click');
    expect(res.status).to.equal(400);
    expect(res.text).to.include('This link cannot be used');
    expect((await t.agent().get(tampered.replace('/one-click', '/unsubscribe'))).status).to.equal(400);
    expect((await NewsletterSubscriber.findOne({ where: { email: 'stays@example.test' } }))!.status).to.equal('confirmed');
  });

  it('stops newsletter mail to a suppressed address at the mail filter, whatever sends it; transactional mail still goes', async () => {
    await t.platform.mailer.send({ to: 'leaving@example.test', subject: 'Flash sale', template: 'newsletter/mail/campaign', category: 'marketing', data: { listName: 'x', paragraphs: [['Hi']], unsubscribeUrl: 'http://agora.test/', test: false } });
    const stopped = (await OutboxMessage.findOne({ where: { to_address: 'leaving@example.test', subject: 'Flash sale' } }))!;
    expect(stopped.status).to.equal('cancelled');
    expect(stopped.cancelled_by).to.equal('newsletter');
    expect(stopped.cancel_reason).to.match(/suppression list/);
    await t.platform.mailer.send({ to: 'leaving@example.test', subject: 'Your receipt', template: 'newsletter/mail/confirm', data: { listName: 'x', link: 'http://agora.test/', hours: 1 } });
    expect((await OutboxMessage.findOne({ where: { to_address: 'leaving@example.test', subject: 'Your receipt' } }))!.status).to.not.equal('cancelled');
    // Another plugin's marketing (a shop the person follows) has its own opt-out: the newsletter's list leaves it alone.
    await t.platform.mailer.send({ to: 'leaving@example.test', subject: 'New in a shop you follow', template: 'core/mail/verify-email', category: 'marketing', data: { name: 'x', url: 'http://agora.test/', hours: 1 } });
    expect((await OutboxMessage.findOne({ where: { to_address: 'leaving@example.test', subject: 'New in a shop you follow' } }))!.status).to.not.equal('cancelled');
  });

  it('lets an unsubscribed person come back through the double opt-in, which lifts the suppression', async () => {
    const agent = t.agent();
    t.smtp!.clear();
    expect((await signup(agent, 'leaving@example.test')).status).to.equal(303);
    const link = linkIn(await t.smtp!.waitFor('leaving@example.test', /Confirm your subscription/), '/newsletter/confirm');
    expect(await NewsletterSuppression.count({ where: { address_hash: addressHash('leaving@example.test') } })).to.equal(1);
    expect((await confirmWith(agent, link)).status).to.equal(200);
    expect(await NewsletterSuppression.count({ where: { address_hash: addressHash('leaving@example.test') } })).to.equal(0);
    const rows = await NewsletterSubscriber.findAll({ where: { email_hash: addressHash('leaving@example.test') } });
    expect(rows.map((r) => [r.status, r.email])).to.deep.equal([['confirmed', 'leaving@example.test']]);
    const kinds = (await NewsletterEvent.findAll({ where: { subscriber_id: rows[0].id }, order: [['id', 'ASC']] })).map((e) => e.kind);
    expect(kinds).to.deep.equal(['subscribed', 'confirmed', 'unsubscribed', 'subscribed', 'confirmed']);
  });
});

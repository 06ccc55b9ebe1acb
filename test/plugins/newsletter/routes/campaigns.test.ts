import { expect } from 'chai';
import { Op } from 'sequelize';
import { startTestApp, createUser, csrfFrom, login, loginAsAdmin, ADMIN, type TestApp } from '../../../helpers/app';
import { OutboxMessage } from '../../../../core/mail/outbox-model';
import { NewsletterCampaign, NewsletterDelivery, NewsletterSubscriber } from '../../../../plugins/newsletter/models';
import { saveSettings, signup, subscribeConfirmed } from '../helpers';
import type supertest from 'supertest';

/** Campaign mails in the outbox, by address (the test send is marked "[Test]"). */
async function campaignMails(subject: string): Promise<Map<string, number>> {
  const rows = await OutboxMessage.findAll({ where: { subject, category: 'marketing' } });
  const by = new Map<string, number>();
  for (const r of rows) by.set(r.to_address, (by.get(r.to_address) ?? 0) + 1);
  return by;
}

async function progressValue(admin: supertest.Agent, id: number): Promise<{ value: number; max: number }> {
  const page = await admin.get(`/admin/newsletter/campaigns/${id}`);
  const m = /<progress id="campaign-progress" max="(\d+)" value="(\d+)"/.exec(page.text);
  expect(m, page.text).to.not.equal(null);
  return { max: Number(m![1]), value: Number(m![2]) };
}

describe('newsletter: admin, campaigns and their sending', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: supertest.Agent;
  const confirmed = ['c1@example.test', 'c2@example.test', 'c3@example.test', 'c4@example.test', 'c5@example.test'];

  before(async () => {
    t = await startTestApp({ plugins: ['newsletter'], smtp: true });
    await saveSettings(t, { batchIntervalSeconds: 0, signupLimitPerHour: 1000 });
    for (const email of confirmed) await subscribeConfirmed(t, email);
    // Signed up but never confirmed: must receive nothing.
    expect((await signup(t.agent(), 'unconfirmed@example.test')).status).to.equal(303);
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  async function draft(subject: string, body = 'Hello!\n\nOur spring sale starts today.'): Promise<number> {
    const list = await admin.get('/admin/newsletter/campaigns');
    const res = await admin.post('/admin/newsletter/campaigns').type('form').send({ _csrf: csrfFrom(list.text), subject, body });
    expect(res.status, res.text).to.equal(303);
    return Number(/\/campaigns\/(\d+)$/.exec(res.headers.location)![1]);
  }

  async function send(id: number): Promise<supertest.Response> {
    const page = await admin.get(`/admin/newsletter/campaigns/${id}`);
    return admin.post(`/admin/newsletter/campaigns/${id}/send`).type('form').send({ _csrf: csrfFrom(page.text) });
  }

  it('is for admins only', async () => {
    const { user, password } = await createUser();
    const agent = t.agent();
    await login(agent, user.email, password);
    expect((await agent.get('/admin/newsletter')).status).to.equal(403);
    expect((await agent.get('/admin/newsletter/subscribers.csv')).status).to.equal(403);
    expect((await t.agent().get('/admin/newsletter/campaigns')).status).to.be.oneOf([302, 303, 403]);
  });

  it('lists subscribers with status, source and dates, filters them, and exports them as CSV', async () => {
    const page = await admin.get('/admin/newsletter');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('c1@example.test').and.include('unconfirmed@example.test');
    expect(page.text).to.include('5 confirmed').and.include('1 waiting for confirmation');
    const pending = await admin.get('/admin/newsletter?status=pending');
    expect(pending.text).to.include('unconfirmed@example.test').and.not.include('c1@example.test');
    const csv = await admin.get('/admin/newsletter/subscribers.csv?status=confirmed');
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.match(/^text\/csv/);
    expect(csv.headers['content-disposition']).to.match(/attachment; filename="newsletter-subscribers-\d{4}-\d\d-\d\d\.csv"/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).to.equal('email,status,source,consented_at,confirmed_at,unsubscribed_at,created_at');
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).to.deep.equal([...confirmed].sort());
    expect(lines[1]).to.match(/,confirmed,page,\d{4}-\d\d-\d\dT[^,]+Z,\d{4}-\d\d-\d\dT[^,]+Z,,/);
    const dashboard = await admin.get('/admin');
    expect(dashboard.text).to.include('href="/admin/newsletter"').and.include('5 confirmed subscribers');
    const settings = await admin.get('/admin/settings/newsletter');
    expect(settings.status).to.equal(200);
    expect(settings.text).to.include('Emails per batch').and.include('Seconds between batches').and.include('Signups per hour from one address');
    const one = await NewsletterSubscriber.findOne({ where: { email: 'c1@example.test' } });
    const history = await admin.get(`/admin/newsletter/subscribers/${one!.id}`);
    expect(history.text).to.include('signup form at /newsletter').and.include('confirmation link');
  });

  it('refuses an empty campaign with 422 and its messages, saving nothing', async () => {
    const list = await admin.get('/admin/newsletter/campaigns');
    const before = await NewsletterCampaign.count();
    const res = await admin.post('/admin/newsletter/campaigns').type('form').send({ _csrf: csrfFrom(list.text), subject: '', body: '' });
    expect(res.status).to.equal(422);
    expect(res.text).to.include('Write a subject').and.include('Write the message');
    expect(await NewsletterCampaign.count()).to.equal(before);
  });

  it('sends a test to the admin only, with the unsubscribe headers', async () => {
    const id = await draft('Spring news');
    const page = await admin.get(`/admin/newsletter/campaigns/${id}`);
    expect(page.text).to.include('Send to 5 confirmed subscribers');
    const res = await admin.post(`/admin/newsletter/campaigns/${id}/test`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(res.status).to.equal(303);
    const mail = await t.smtp!.waitFor(ADMIN.email, /^\[Test\] Spring news$/);
    expect(mail.text).to.include('Our spring sale starts today');
    expect(mail.headers['list-unsubscribe']).to.match(/^<http:\/\/agora\.test\/newsletter\/one-click\?token=[\w.-]+>$/);
    expect(mail.headers['list-unsubscribe-post']).to.equal('List-Unsubscribe=One-Click');
    expect((await campaignMails('Spring news')).size).to.equal(0);
    expect((await NewsletterCampaign.findByPk(id))!.status).to.equal('draft');
  });

  it('sends a campaign once to confirmed subscribers only, even when "send" is pressed twice at once', async () => {
    const id = await draft('Summer news');
    const answers = await Promise.all([send(id), send(id)]);
    expect(answers.map((r) => r.status)).to.deep.equal([303, 303]);
    await t.platform.jobs.idle(30_000);
    const campaign = (await NewsletterCampaign.findByPk(id))!;
    expect(campaign.status).to.equal('sent');
    expect([campaign.total, campaign.sent_count]).to.deep.equal([5, 5]);
    const mails = await campaignMails('Summer news');
    expect([...mails.keys()].sort()).to.deep.equal([...confirmed].sort());
    expect([...mails.values()].every((n) => n === 1)).to.equal(true);
    const mail = await t.smtp!.waitFor('c3@example.test', /^Summer news$/);
    expect(mail.headers['list-unsubscribe']).to.match(/one-click\?token=/);
    expect(mail.headers['list-unsubscribe-post']).to.equal('List-Unsubscribe=One-Click');
    expect(mail.text).to.match(/Unsubscribe in one\s+click/);
    expect(t.smtp!.to('unconfirmed@example.test').filter((m) => m.subject === 'Summer news')).to.have.length(0);
    // The sent history.
    const list = await admin.get('/admin/newsletter/campaigns');
    expect(list.text).to.include('Summer news').and.include('5 of 5');
  });

  it('mails every recipient exactly once when the worker dies in the middle of a batch and the job runs again', async () => {
    await saveSettings(t, { batchSize: 2 });
    const id = await draft('Autumn news');
    // The third recipient's claim fails once, as if the process died there: the job fails and is run again.
    let claims = 0;
    NewsletterDelivery.addHook('beforeBulkUpdate', 'crash-once', (options: { where?: unknown }) => {
      if (JSON.stringify(options.where).includes('"status":"pending"') && ++claims === 3) throw new Error('worker died');
    });
    try {
      expect((await send(id)).status).to.equal(303);
      // Duplicate batch jobs (a second worker, a replayed message) change nothing either.
      for (let i = 0; i < 3; i++) await t.platform.jobs.enqueue('newsletter.campaign.batch', { campaignId: id });
      await t.platform.jobs.idle(30_000);
    } finally {
      NewsletterDelivery.removeHook('beforeBulkUpdate', 'crash-once');
    }
    expect(claims).to.be.greaterThan(3);
    const mails = await campaignMails('Autumn news');
    expect([...mails.keys()].sort()).to.deep.equal([...confirmed].sort());
    expect([...mails.values()]).to.deep.equal([1, 1, 1, 1, 1]);
    const campaign = (await NewsletterCampaign.findByPk(id))!;
    expect([campaign.status, campaign.sent_count]).to.deep.equal(['sent', 5]);
    expect(await NewsletterDelivery.count({ where: { campaign_id: id, status: { [Op.ne]: 'sent' } } })).to.equal(0);
  });

  it('deletes a draft, but never a sent campaign', async () => {
    const id = await draft('Throwaway');
    let page = await admin.get(`/admin/newsletter/campaigns/${id}`);
    const res = await admin.post(`/admin/newsletter/campaigns/${id}/delete`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(res.status).to.equal(303);
    expect(await NewsletterCampaign.findByPk(id)).to.equal(null);
    const sent = (await NewsletterCampaign.findOne({ where: { subject: 'Summer news' } }))!;
    page = await admin.get(`/admin/newsletter/campaigns/${sent.id}`);
    const refused = await admin.post(`/admin/newsletter/campaigns/${sent.id}/delete`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(refused.status).to.equal(409);
    expect(refused.text).to.include('Only a draft can be deleted');
    expect(await NewsletterCampaign.findByPk(sent.id)).to.not.equal(null);
  });

  it('resumes a campaign whose batch job failed for good, mailing only those not mailed yet', async () => {
    await saveSettings(t, { batchSize: 100, batchIntervalSeconds: 0 });
    const id = await draft('Stuck news', 'First line\r\n\r\nSecond paragraph');
    // As a job that gave up would leave it: sending, two recipients mailed, the rest pending, no job queued.
    const subscribers = await NewsletterSubscriber.findAll({ where: { status: 'confirmed' }, order: [['id', 'ASC']] });
    await NewsletterCampaign.update({ status: 'sending', started_at: new Date(), total: subscribers.length, sent_count: 2, batches: 1 }, { where: { id } });
    for (const [i, s] of subscribers.entries()) await NewsletterDelivery.create({ campaign_id: id, subscriber_id: s.id, status: i < 2 ? 'sent' : 'pending', outbox_id: null, sent_at: i < 2 ? new Date() : null });
    const page = await admin.get(`/admin/newsletter/campaigns/${id}`);
    expect(page.text).to.include('Resume sending');
    expect(page.text).to.match(/<p>First line<\/p><p>Second paragraph<\/p>/);
    const res = await admin.post(`/admin/newsletter/campaigns/${id}/resume`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(res.status).to.equal(303);
    await t.platform.jobs.idle(30_000);
    const campaign = (await NewsletterCampaign.findByPk(id))!;
    expect([campaign.status, campaign.sent_count]).to.deep.equal(['sent', 5]);
    const mails = await campaignMails('Stuck news');
    expect([...mails.keys()].sort()).to.deep.equal(subscribers.slice(2).map((s) => s.email!).sort());
  });

  it('finishes a campaign after the app is stopped between batches and started again, mailing nobody twice', async () => {
    await saveSettings(t, { batchSize: 2, batchIntervalSeconds: 1 });
    const id = await draft('Restart news');
    expect((await send(id)).status).to.equal(303);
    // Stopped once the first batch is out and the next one waits in the queue.
    const deadline = Date.now() + 20_000;
    while ((await NewsletterCampaign.findByPk(id))!.sent_count === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await t.stop();
    t = await startTestApp({ plugins: ['newsletter'], smtp: true, reuse: { dataDir: t.dataDir, db: t.db } });
    admin = t.agent();
    await loginAsAdmin(admin);
    // Batches wait `batchIntervalSeconds` between them, so the queue is idle for a while between two.
    const until = Date.now() + 30_000;
    while ((await NewsletterCampaign.findByPk(id))!.status !== 'sent' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const campaign = (await NewsletterCampaign.findByPk(id))!;
    expect([campaign.status, campaign.sent_count, campaign.total]).to.deep.equal(['sent', 5, 5]);
    const mails = await campaignMails('Restart news');
    expect([...mails.keys()].sort()).to.deep.equal([...confirmed].sort());
    expect([...mails.values()]).to.deep.equal([1, 1, 1, 1, 1]);
  });

  it('shows a progress bar that moves while the batches go out', async () => {
    await saveSettings(t, { batchSize: 2, batchIntervalSeconds: 1 });
    const id = await draft('Winter news');
    expect((await send(id)).status).to.equal(303);
    const seen = new Set<number>();
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { value, max } = await progressValue(admin, id);
      expect(max).to.equal(5);
      seen.add(value);
      if (value === 5 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen.has(5), 'finished').to.equal(true);
    expect([...seen].some((v) => v > 0 && v < 5), `partway values seen: ${[...seen].join(', ')}`).to.equal(true);
    const json = await admin.get(`/admin/newsletter/campaigns/${id}/progress`);
    expect(json.body).to.include({ status: 'sent', total: 5, sent: 5, pending: 0, percent: 100 });
    const page = await admin.get(`/admin/newsletter/campaigns/${id}`);
    expect(page.text).to.match(/<script src="\/plugins\/newsletter\/campaign-progress\.js[^"]*" nonce=/);
  });
});

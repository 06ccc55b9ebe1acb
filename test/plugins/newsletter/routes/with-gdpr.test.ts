import { expect } from 'chai';
import { startTestApp, csrfFrom, type TestApp } from '../../../helpers/app';
import { OutboxMessage } from '../../../../core/mail/outbox-model';
import { NewsletterEvent, NewsletterSubscriber, NewsletterSuppression } from '../../../../plugins/newsletter/models';
import { addressHash } from '../../../../plugins/newsletter/services/addresses';
import { subscribeConfirmedWith } from '../helpers';

/** Every gdpr field of the first form on the page, ticked: `name=value` pairs as a browser would send them. */
function gdprFields(html: string): string {
  const form = html.slice(html.indexOf('newsletter-footer-form'));
  const pairs = [...form.slice(0, form.indexOf('</form>')).matchAll(/<input[^>]*name="(gdpr_[a-z_]+)"[^>]*value="([^"]*)"/g)];
  return pairs.map(([, name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
}

describe('newsletter with the gdpr plugin: consent boxes on the signup forms, objections', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ plugins: ['gdpr', 'newsletter'], smtp: true });
  });
  after(async () => t.close());

  it('shows gdpr’s consent boxes in the footer form and on /newsletter, and refuses a signup without them (422, nothing written)', async () => {
    const agent = t.agent();
    const home = await agent.get('/');
    expect(home.status).to.equal(200);
    expect(gdprFields(home.text)).to.include('gdpr_accept=');
    const page = await agent.get('/newsletter');
    expect(page.text).to.match(/name="gdpr_accept"/);
    const res = await agent.post('/newsletter').type('form').send({ _csrf: csrfFrom(home.text), email: 'no-box@example.test', source: 'footer' });
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/Tick the box to accept/);
    expect(res.text).to.include('value="no-box@example.test"');
    expect(await NewsletterSubscriber.count({ where: { email: 'no-box@example.test' } })).to.equal(0);
  });

  it('subscribes from the footer once the boxes are ticked', async () => {
    const agent = t.agent();
    const home = await agent.get('/');
    const res = await agent.post('/newsletter').type('form').send(`_csrf=${encodeURIComponent(csrfFrom(home.text))}&email=boxed%40example.test&source=footer&${gdprFields(home.text)}`);
    expect(res.status, res.text).to.equal(303);
    const row = (await NewsletterSubscriber.findOne({ where: { email: 'boxed@example.test' } }))!;
    expect([row.status, row.source]).to.deep.equal(['pending', 'footer']);
    await t.smtp!.waitFor('boxed@example.test', /Confirm your subscription/);
  });

  it('ends the subscription and suppresses the address when the person objects to marketing', async () => {
    await subscribeConfirmedWith(t, 'objector@example.test', gdprFields);
    await t.platform.sequelize.transaction(async (transaction) => {
      await t.platform.hooks.do('gdpr.objection.recorded', { email: 'objector@example.test' }, transaction);
    });
    const hash = addressHash('objector@example.test');
    const row = (await NewsletterSubscriber.findOne({ where: { email_hash: hash } }))!;
    expect([row.status, row.email]).to.deep.equal(['unsubscribed', null]);
    expect((await NewsletterEvent.findOne({ where: { subscriber_id: row.id, kind: 'unsubscribed' } }))!.how).to.match(/objection/);
    expect(await NewsletterSuppression.count({ where: { address_hash: hash } })).to.equal(1);
    await t.platform.mailer.send({ to: 'objector@example.test', subject: 'Deals', template: 'newsletter/mail/campaign', category: 'marketing', data: { listName: 'x', paragraphs: [['Hi']], unsubscribeUrl: 'http://agora.test/', test: false } });
    expect((await OutboxMessage.findOne({ where: { to_address: 'objector@example.test', subject: 'Deals' } }))!.status).to.equal('cancelled');
  });
});

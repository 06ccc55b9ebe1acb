import { expect } from 'chai';
import { z } from 'zod';
import { csrfFrom, loginAsAdmin, type TestApp } from '../../../helpers/app';
import { FormSectionError } from '../../../../core/forms/section-error';
import { fragment } from '../../../../core/forms/fragment';
import { ADMIN } from '../../../helpers/app';
import { conversationIdOf, customer, messagingModels, reply, sendForm, startMessagingApp } from '../messaging-helpers';

describe('messaging: the store’s contact form (/contact) and guest tickets', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await startMessagingApp();
  });

  it('core’s rate limit refuses more contact messages from one address than the setting allows (429)', async () => {
    await t.platform.options.set('settings.messaging', { ...t.platform.settings.get<Record<string, unknown>>('messaging'), contactPerHour: 5 });
    const agent = t.agent();
    const token = csrfFrom((await agent.get('/contact')).text);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await agent.post('/contact').type('form').send({ _csrf: token, submission: `limit-${i}-abcdefghijklmnop`, name: 'Lim', email: 'lim@example.test', subject: `Try ${i}`, body: 'Hello', website: '' });
      statuses.push(res.status);
    }
    expect(statuses, 'five go through, the sixth and seventh are refused').to.deep.equal([303, 303, 303, 303, 303, 429, 429]);
    const refused = await agent.post('/contact').type('form').send({ _csrf: token, submission: 'limit-x-abcdefghijklmnop', name: 'Lim', email: 'lim@example.test', subject: 'Again', body: 'Hello', website: '' });
    expect(refused.text).to.contain('Too many attempts from your address');
    await t.platform.options.set('settings.messaging', { contactPerHour: 1000 });
  });
  after(async () => t.close());

  const contact = (agent: ReturnType<TestApp['agent']>, fields: Record<string, string>) => sendForm(agent, '/contact', '/contact', { name: 'Gina Guest', email: 'gina@example.test', subject: 'Opening hours', body: 'When do you ship?', website: '', ...fields });

  it('a guest’s message opens a store ticket for the admins, who are told; the answer reaches the guest with a link to read and reply', async () => {
    const { Conversation, Message } = messagingModels();
    const guest = t.agent();
    expect((await guest.get('/')).text).to.contain('href="/contact"');
    t.smtp!.clear();
    const res = await contact(guest, {});
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    expect(res.headers.location).to.equal('/contact/sent');
    const ticket = (await Conversation.findOne({ where: { guest_email: 'gina@example.test' } }))!;
    expect([ticket.kind, ticket.buyer_id, ticket.guest_name, ticket.subject, ticket.status]).to.deep.equal(['store', null, 'Gina Guest', 'Opening hours', 'open']);
    const toAdmin = await t.smtp!.waitFor(ADMIN.email, new RegExp(`conversation #${ticket.id}\\]`));
    expect(toAdmin.text).to.contain('Gina Guest').and.contain('When do you ship?').and.contain(`/messages/${ticket.id}`);

    const admin = t.agent();
    await loginAsAdmin(admin);
    const list = await admin.get('/admin/messages');
    expect(list.text).to.contain('Opening hours').and.contain('Store ticket (guest)');
    expect((await reply(admin, ticket.id, 'We ship every weekday.')).status).to.equal(303);
    const toGuest = await t.smtp!.waitFor('gina@example.test', new RegExp(`conversation #${ticket.id}\\]`));
    expect(toGuest.text).to.contain('The store team').and.contain('We ship every weekday.');
    const link = /http:\/\/agora\.test(\/contact\/tickets\/\d+\?key=[^\s\]>)]+)/.exec(toGuest.text)?.[1];
    expect(link, toGuest.text).to.be.a('string');
    expect(toGuest.text).not.to.contain(ADMIN.email);

    const page = await guest.get(link!);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('We ship every weekday.').and.contain('When do you ship?');
    const path = link!.split('?')[0];
    const answer = await sendForm(guest, link!, path, { body: 'Thanks, and on Saturdays?' });
    expect(answer.status).to.equal(303);
    expect((await Message.findAll({ where: { conversation_id: ticket.id }, order: [['id', 'ASC']] })).map((m) => [m.author_side, m.body])).to.deep.equal([
      ['buyer', 'When do you ship?'],
      ['admin', 'We ship every weekday.'],
      ['buyer', 'Thanks, and on Saturdays?'],
    ]);
    // A link with another ticket's number, or a forged key, is a 404.
    expect((await guest.get(link!.replace(`/tickets/${ticket.id}?`, `/tickets/${ticket.id + 1}?`))).status).to.equal(404);
    expect((await guest.get(`${path}?key=forged.key`)).status).to.equal(404);
  });

  it('a logged-in customer’s ticket lands in their conversations, without name and email fields', async () => {
    const buyer = await customer(t);
    const form = await buyer.agent.get('/contact');
    expect(form.text).not.to.contain('name="email"');
    const res = await contact(buyer.agent, { name: '', email: '' });
    const id = conversationIdOf(res);
    expect((await buyer.agent.get('/account/messages')).text).to.contain('Opening hours').and.contain('The store team');
    expect((await messagingModels().Conversation.findByPk(id))?.buyer_id).to.equal(buyer.user.id);
  });

  it('the honeypot drops a bot’s message without telling it; invalid fields answer 422 on the same form', async () => {
    const { Conversation } = messagingModels();
    const before = await Conversation.count();
    const bot = await contact(t.agent(), { website: 'http://spam.example' });
    expect(bot.status).to.equal(303);
    expect(bot.headers.location).to.equal('/contact/sent');
    const bad = await contact(t.agent(), { email: 'not-an-email', body: '' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Enter a valid email address').and.contain('Write your message').and.contain('value="Gina Guest"');
    expect(await Conversation.count()).to.equal(before);
  });

  it('other plugins add fields through the form section messaging.contact, committed with the ticket or refusing it', async () => {
    const { Conversation } = messagingModels();
    let seen: { conversationId: number; kind: string; email: string | null } | undefined;
    const dispose = t.platform.forms.extend('consent', 'messaging.contact', {
      schema: z.object({ consent_ok: z.literal('on', 'Please agree to be answered by email') }),
      render: ({ errors }) => fragment`<label><input type="checkbox" name="consent_ok" value="on"> I agree</label>${errors.consent_ok ? fragment`<p class="error">${errors.consent_ok}</p>` : ''}`,
      commit(_tx, _data, _req, context) {
        if (context.email === 'refused@example.test') throw new FormSectionError('Consent could not be recorded.', 'consent_ok');
        seen = { conversationId: context.conversationId, kind: context.kind, email: context.email };
      },
    });
    try {
      const guest = t.agent();
      const page = await guest.get('/contact');
      expect(page.text).to.contain('data-plugin="consent"').and.contain('name="consent_ok"');
      const missing = await contact(guest, {});
      expect(missing.status).to.equal(422);
      expect(missing.text).to.contain('Please agree to be answered by email');
      const before = await Conversation.count();
      const refused = await contact(guest, { email: 'refused@example.test', consent_ok: 'on' });
      expect(refused.status).to.equal(422);
      expect(refused.text).to.contain('Consent could not be recorded.');
      expect(await Conversation.count(), 'a refusal writes nothing').to.equal(before);
      expect((await contact(guest, { consent_ok: 'on', subject: 'With consent' })).status).to.equal(303);
      const row = await Conversation.findOne({ where: { subject: 'With consent' } });
      expect(seen).to.deep.equal({ conversationId: row!.id, kind: 'store', email: 'gina@example.test' });
    } finally {
      dispose();
    }
  });
});

import { expect } from 'chai';
import { ADMIN, csrfFrom, loginAsAdmin, type TestApp } from '../../../helpers/app';
import { User } from '../../../../core/auth/user-model';
import { contactSeller, conversationIdOf, customer, messagingModels, reply, sellerWithProduct, sendForm, startMessagingApp } from '../messaging-helpers';

describe('messaging: reports, sanctions and messages held for review', function () {
  this.timeout(60_000);
  let t: TestApp;
  let seller: Awaited<ReturnType<typeof sellerWithProduct>>;
  let admin: ReturnType<TestApp['agent']>;

  before(async () => {
    t = await startMessagingApp();
    seller = await sellerWithProduct(t, 'Calm Shop');
    admin = t.agent();
    await loginAsAdmin(admin);
  });
  after(async () => t.close());

  /** A buyer who sent an abusive message to the seller. */
  async function abusiveThread() {
    const buyer = await customer(t);
    // Old enough not to be held for links.
    await User.update({ created_at: new Date(Date.now() - 30 * 86400_000) }, { where: { id: buyer.user.id } });
    const id = conversationIdOf(await contactSeller(buyer.agent, seller.product.id, { subject: 'Abuse', body: 'You are terrible, buy at cheap-pills.example.com' }));
    return { buyer, id };
  }

  const report = (id: number, reason = 'harassment') => sendForm(seller.agent, `/messages/${id}`, `/messages/${id}/report`, { reason, note: 'Insults in the first message.' });
  const decide = (reportId: number, action: string, message = '') => sendForm(admin, '/admin/messages?view=reports', `/admin/messages/reports/${reportId}`, { action, message });

  it('a party reports the conversation; the report reaches the admins once, naming the sender', async () => {
    const { Report } = messagingModels();
    const { buyer, id } = await abusiveThread();
    t.smtp!.clear();
    expect((await report(id)).status).to.equal(303);
    const told = await t.smtp!.waitFor(ADMIN.email, /A conversation was reported/);
    expect(told.text).to.contain('harassment').and.contain('/admin/messages?view=reports');
    const again = await report(id);
    expect(again.status).to.equal(303);
    const rows = await Report.findAll({ where: { conversation_id: id } });
    expect(rows.map((r) => [r.reason, r.reported_user_id, r.status])).to.deep.equal([['harassment', buyer.user.id, 'open']]);
    const page = await admin.get('/admin/messages?view=reports');
    expect(page.text).to.contain('Harassment').and.contain('Insults in the first message.').and.contain(buyer.user.email);
    // An invalid reason is a 422 on the thread page.
    const bad = await report(id, 'boring');
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Choose spam or harassment');
  });

  it('warn: the sender is told by email; suspend: they can no longer write until the suspension is lifted', async () => {
    const { Report, Sanction } = messagingModels();
    const { buyer, id } = await abusiveThread();
    await report(id);
    const r = (await Report.findOne({ where: { conversation_id: id } }))!;
    t.smtp!.clear();
    expect((await decide(r.id, 'warn', 'Keep it civil.')).status).to.equal(303);
    const warning = await t.smtp!.waitFor(buyer.user.email, /A warning about your messages/);
    expect(warning.text).to.contain('Keep it civil.');
    expect((await Report.findByPk(r.id))?.status).to.equal('warned');
    // Deciding again changes nothing.
    const token = csrfFrom((await admin.get('/admin/messages')).text);
    expect((await admin.post(`/admin/messages/reports/${r.id}`).type('form').send({ _csrf: token, action: 'suspend', message: '' })).status).to.equal(303);
    expect((await Report.findByPk(r.id))?.status).to.equal('warned');
    expect(await Sanction.count({ where: { user_id: buyer.user.id, kind: 'suspension' } })).to.equal(0);

    const second = await abusiveThread();
    await report(second.id, 'spam');
    const r2 = (await Report.findOne({ where: { conversation_id: second.id } }))!;
    expect((await decide(r2.id, 'suspend', 'Spam.')).status).to.equal(303);
    await t.smtp!.waitFor(second.buyer.user.email, /Your messaging is suspended/);
    const threadPage = await second.buyer.agent.get(`/messages/${second.id}`);
    expect(threadPage.text).to.contain('Your messaging is suspended').and.not.contain(`action="/messages/${second.id}/reply"`);
    const refused = await second.buyer.agent.post(`/messages/${second.id}/reply`).field('_csrf', csrfFrom(threadPage.text)).field('submission', 'suspended-try-000000000').field('body', 'More spam');
    expect(refused.status).to.equal(403);
    expect(refused.text).to.contain('Your messaging is suspended');
    const direct = await sendForm(second.buyer.agent, `/messages/${second.id}`, `/messages/${second.id}/status`, { to: 'closed' });
    expect(direct.status, 'reading and closing still work').to.equal(303);
    const blocked = await contactSeller(second.buyer.agent, seller.product.id, { subject: 'New one' });
    expect(blocked.status).to.equal(403);
    expect(blocked.text).to.contain('Your messaging is suspended');

    expect((await admin.get('/admin/messages?view=suspended')).text).to.contain(second.buyer.user.email);
    expect((await sendForm(admin, '/admin/messages?view=suspended', `/admin/messages/suspensions/${second.buyer.user.id}/lift`, {})).status).to.equal(303);
    expect((await reply(second.buyer.agent, second.id, 'Sorry.')).status).to.equal(303);
  });

  it('close account: the sender’s account is closed and their messages read "message removed"', async () => {
    const { Report, Message } = messagingModels();
    const { buyer, id } = await abusiveThread();
    await report(id);
    const r = (await Report.findOne({ where: { conversation_id: id } }))!;
    expect((await decide(r.id, 'close_account')).status).to.equal(303);
    expect(await User.findByPk(buyer.user.id)).to.equal(null);
    const messages = await Message.findAll({ where: { conversation_id: id } });
    expect(messages.map((m) => [m.body, m.removed, m.author_id])).to.deep.equal([['message removed', true, null]]);
    const thread = await seller.agent.get(`/messages/${id}`);
    expect(thread.text).to.contain('message removed').and.not.contain('cheap-pills');
    expect((await Report.findByPk(r.id))?.reported_user_id, 'the report stays, anonymized').to.equal(null);
  });

  it('a first message with a link from a new account waits for an admin; released, the seller sees it and is told', async () => {
    const { Conversation } = messagingModels();
    const buyer = await customer(t);
    t.smtp!.clear();
    const res = await contactSeller(buyer.agent, seller.product.id, { subject: 'Deal', body: 'Visit https://spam.example/deal now' });
    const id = conversationIdOf(res);
    expect((await Conversation.findByPk(id))?.held).to.equal(true);
    expect((await buyer.agent.get(`/messages/${id}`)).text).to.contain('waits for a quick check');
    expect((await seller.agent.get('/seller/messages')).text).not.to.contain('Deal');
    expect((await seller.agent.get(`/messages/${id}`)).status).to.equal(404);
    const held = await admin.get('/admin/messages?view=held');
    expect(held.text).to.contain('Deal');
    expect((await sendForm(admin, '/admin/messages?view=held', `/admin/messages/${id}/release`, {})).status).to.equal(303);
    const told = await t.smtp!.waitFor(seller.seller.email, new RegExp(`conversation #${id}\\]`));
    expect(told.text).to.contain('https://spam.example/deal');
    expect((await seller.agent.get(`/messages/${id}`)).status).to.equal(200);

    // Without a link, or from an older account, nothing is held.
    const plain = conversationIdOf(await contactSeller(buyer.agent, seller.product.id, { subject: 'Plain', body: 'No link here.' }));
    expect((await Conversation.findByPk(plain))?.held).to.equal(false);
  });
});

import { expect } from 'chai';
import type supertest from 'supertest';
import { createUser, loginAsAdmin, login, tokenFor, type TestApp } from '../../../helpers/app';
import { shopModels } from '../../shops/shop-models';
import { contactSeller, conversationIdOf, customer, messagingModels, png, sellerWithProduct, startMessagingApp } from '../messaging-helpers';

/**
 * Every route of a conversation with every actor: its two parties (and the shop's staff) may use it; a third
 * customer, another seller and a guest get 404 (a guest's GET goes to the login page), never its content; an
 * admin may read it, and each reading is logged.
 */
describe('messaging: who may see a conversation, its messages and its attachments', function () {
  this.timeout(60_000);
  let t: TestApp;
  let id: number;
  let attachmentId: number;
  const actors: Record<string, supertest.Agent> = {};

  before(async () => {
    t = await startMessagingApp();
    const seller = await sellerWithProduct(t, 'Private Shop');
    const buyer = await customer(t);
    const res = await contactSeller(buyer.agent, seller.product.id, { subject: 'Secret subject', body: 'Secret body text' }, [{ data: await png(), filename: 'secret.png' }]);
    id = conversationIdOf(res);
    attachmentId = (await messagingModels().Attachment.findOne({ where: { conversation_id: id } }))!.id;

    const { user: staff, password } = await createUser({ role: 'seller' });
    await shopModels().ShopMember.create({ shop_id: seller.shop.id, user_id: staff.id, role: 'staff' });
    actors.staff = t.agent();
    await login(actors.staff, staff.username, password);
    actors.buyer = buyer.agent;
    actors.seller = seller.agent;
    actors.otherSeller = (await sellerWithProduct(t, 'Other Shop')).agent;
    actors.stranger = (await customer(t)).agent;
    actors.guest = t.agent();
    actors.admin = t.agent();
    await loginAsAdmin(actors.admin);
  });
  after(async () => t.close());

  const token = async (agent: supertest.Agent) => tokenFor(agent, '/contact');

  it('the parties and the shop’s staff read the thread and its attachment', async () => {
    for (const who of ['buyer', 'seller', 'staff']) {
      const page = await actors[who].get(`/messages/${id}`);
      expect(page.status, who).to.equal(200);
      expect(page.text, who).to.contain('Secret body text');
      const file = await actors[who].get(`/messages/${id}/attachments/${attachmentId}`);
      expect(file.status, who).to.equal(200);
    }
  });

  it('a third customer and another seller get 404 on every route, and nothing is written', async () => {
    const { Message, Report, Conversation } = messagingModels();
    const before = { messages: await Message.count(), reports: await Report.count(), status: (await Conversation.findByPk(id))!.status };
    for (const who of ['stranger', 'otherSeller']) {
      const agent = actors[who];
      for (const url of [`/messages/${id}`, `/messages/${id}/attachments/${attachmentId}`, `/messages/999999`]) {
        const res = await agent.get(url);
        expect(res.status, `${who} GET ${url}`).to.equal(404);
        expect(res.text).not.to.contain('Secret');
      }
      const _csrf = await token(agent);
      for (const [path, body] of [
        ['reply', { body: 'intruding', submission: `intrude-${who}-0000000000` }],
        ['status', { to: 'closed' }],
        ['report', { reason: 'spam', note: '' }],
      ] as const) {
        const res = await agent.post(`/messages/${id}/${path}`).type('form').send({ _csrf, ...body });
        expect(res.status, `${who} POST ${path}`).to.equal(404);
        expect(res.text).not.to.contain('Secret');
      }
    }
    expect({ messages: await Message.count(), reports: await Report.count(), status: (await Conversation.findByPk(id))!.status }).to.deep.equal(before);
  });

  it('a guest is sent to the login page for the thread and the attachment, and refused any change', async () => {
    for (const url of [`/messages/${id}`, `/messages/${id}/attachments/${attachmentId}`]) {
      const res = await actors.guest.get(url);
      expect(res.status, url).to.equal(302);
      expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(url)}`);
    }
    const _csrf = await token(actors.guest);
    for (const path of ['reply', 'status', 'report']) {
      const res = await actors.guest.post(`/messages/${id}/${path}`).type('form').send({ _csrf, body: 'x', to: 'closed', reason: 'spam' });
      expect(res.status, path).to.equal(403);
    }
    // The inboxes and the new-message form are for accounts only too.
    for (const url of ['/account/messages', '/seller/messages', `/messages/new?shop=1`]) expect((await actors.guest.get(url)).status, url).to.equal(302);
  });

  it('an admin reads the conversation and its attachment, shown as an admin; each reading is logged', async () => {
    const { AdminRead } = messagingModels();
    const before = await AdminRead.count({ where: { conversation_id: id } });
    const page = await actors.admin.get(`/messages/${id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Secret body text').and.contain('You are reading this conversation as an admin');
    expect((await actors.admin.get(`/messages/${id}/attachments/${attachmentId}`)).status).to.equal(200);
    const reads = await AdminRead.findAll({ where: { conversation_id: id }, order: [['id', 'ASC']] });
    expect(reads.length).to.equal(before + 2);
    const log = await actors.admin.get('/admin/messages?view=reads');
    expect(log.text).to.contain(`#${id}`);
    // The parties' pages do not log anything; customers cannot open the admin pages.
    await actors.buyer.get(`/messages/${id}`);
    expect(await AdminRead.count({ where: { conversation_id: id } })).to.equal(before + 2);
    for (const who of ['buyer', 'seller', 'stranger']) expect((await actors[who].get('/admin/messages')).status, who).to.equal(403);
  });

  it('a conversation held for review is hidden from the shop until released; a store ticket only from the admins', async () => {
    const { Conversation } = messagingModels();
    await Conversation.update({ held: true }, { where: { id } });
    expect((await actors.seller.get(`/messages/${id}`)).status).to.equal(404);
    expect((await actors.buyer.get(`/messages/${id}`)).status).to.equal(200);
    await Conversation.update({ held: false }, { where: { id } });

    const buyer = await customer(t);
    const _csrf = await tokenFor(buyer.agent, '/contact');
    const submission = /name="submission" value="([^"]+)"/.exec((await buyer.agent.get('/contact')).text)![1];
    const res = await buyer.agent.post('/contact').type('form').send({ _csrf, submission, subject: 'Store question', body: 'For the store only' });
    const ticket = conversationIdOf(res);
    for (const who of ['seller', 'staff', 'stranger', 'otherSeller']) expect((await actors[who].get(`/messages/${ticket}`)).status, who).to.equal(404);
    expect((await actors.admin.get(`/messages/${ticket}`)).text).to.contain('For the store only');
  });
});

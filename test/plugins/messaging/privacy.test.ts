import { expect } from 'chai';
import type { Model, ModelStatic } from 'sequelize';
import { createUser, type TestApp } from '../../helpers/app';
import { Canaries, activeModels, canaryCheck } from '../../../core/privacy/coverage';
import { seeders } from './privacy-seeders';
import { contactSeller, conversationIdOf, customer, messagingModels, pdf, png, reply, sellerWithProduct, sendForm, startMessagingApp } from './messaging-helpers';

describe('messaging: privacy (exporter, eraser, retention)', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startMessagingApp();
  });
  after(async () => t.close());

  it('every personal column of messaging is in the export and gone after erasure (canaries)', async () => {
    const { user } = await createUser({ email: 'msg.canary@example.test' });
    const person = { email: 'msg.canary@example.test', userId: user.id };
    const canaries = new Canaries();
    for (const seed of Object.values(seeders)) await seed(t, person, canaries);
    const models = activeModels(t.platform.sequelize.models as Record<string, ModelStatic<Model>>, (m) => t.platform.plugins.modelOwner(m), (p) => t.platform.plugins.isActive(p)).filter((m) => m.owner === 'messaging');
    expect(models.map((m) => m.model.name)).to.include.members(['MessagingConversation', 'MessagingMessage', 'MessagingAttachment', 'MessagingReport', 'MessagingSanction']);
    const report = await canaryCheck(t.platform.privacy, models, canaries, person);
    expect(report.unseeded).to.deep.equal([]);
    expect(report.notExported).to.deep.equal([]);
    expect(report.notErased).to.deep.equal([]);
  });

  it('an erased buyer’s messages read "message removed" in the thread the seller keeps; attachments, subject and reports go', async () => {
    const { Conversation, Message, Attachment, Report } = messagingModels();
    const seller = await sellerWithProduct(t, 'Keeper Shop');
    const buyer = await customer(t);
    const id = conversationIdOf(await contactSeller(buyer.agent, seller.product.id, { subject: 'My private question', body: 'My private text' }, [{ data: await png(), filename: 'me.png' }, { data: pdf(), filename: 'id.pdf' }]));
    await reply(seller.agent, id, 'The seller’s answer');
    await sendForm(buyer.agent, `/messages/${id}`, `/messages/${id}/report`, { reason: 'harassment', note: 'My note about them' });
    const files = await Attachment.findAll({ where: { conversation_id: id } });
    expect(files.length).to.equal(2);

    const exported = await t.platform.privacy.exportPerson({ email: buyer.user.email, userId: buyer.user.id });
    const text = JSON.stringify(exported);
    expect(text).to.contain('My private question').and.contain('My private text').and.contain('My note about them').and.contain('me.png');
    expect(text, 'the attachment’s bytes').to.contain(pdf().toString('base64'));

    await t.platform.privacy.erasePerson({ email: buyer.user.email, userId: buyer.user.id });
    const messages = await Message.findAll({ where: { conversation_id: id }, order: [['id', 'ASC']] });
    expect(messages.map((m) => [m.author_side, m.body, m.removed])).to.deep.equal([
      ['buyer', 'message removed', true],
      ['seller', 'The seller’s answer', false],
    ]);
    expect(await Attachment.count({ where: { conversation_id: id } })).to.equal(0);
    for (const f of files) expect(await t.platform.files.forOwner('messaging').private.info(f.file_id)).to.equal(undefined);
    const conversation = (await Conversation.findByPk(id))!;
    expect([conversation.subject, conversation.buyer_id]).to.deep.equal(['(subject removed)', null]);
    const reports = await Report.findAll({ where: { conversation_id: id } });
    expect(reports.map((r) => [r.reporter_id, r.note, r.reason])).to.deep.equal([[null, null, 'harassment']]);
    const thread = await seller.agent.get(`/messages/${id}`);
    expect(thread.status).to.equal(200);
    expect(thread.text).to.contain('message removed').and.contain('The seller’s answer').and.not.contain('My private text');
  });

  it('the retention rule deletes closed conversations older than the setting, with their messages', async () => {
    const { Conversation, Message } = messagingModels();
    const seller = await sellerWithProduct(t, 'Old Shop');
    const buyer = await customer(t);
    const old = conversationIdOf(await contactSeller(buyer.agent, seller.product.id, { subject: 'Old one' }));
    const recent = conversationIdOf(await contactSeller(buyer.agent, seller.product.id, { subject: 'Recent one' }));
    await Conversation.update({ status: 'closed', last_message_at: new Date(Date.now() - 800 * 86400_000) }, { where: { id: old } });
    await Conversation.update({ status: 'closed' }, { where: { id: recent } });
    const rule = t.platform.privacy.retentions().find((r) => r.kind === 'messaging.conversations')!;
    expect(rule.owner).to.equal('messaging');
    const outcome = await rule.apply(new Date(Date.now() - 730 * 86400_000));
    expect(outcome.removed).to.equal(1);
    expect(await Conversation.findByPk(old)).to.equal(null);
    expect(await Message.count({ where: { conversation_id: old } })).to.equal(0);
    expect(await Conversation.findByPk(recent)).not.to.equal(null);
  });
});

import crypto from 'node:crypto';
import type { Seeder } from '../../helpers/privacy-seeder';
import { Conversation, Message, Attachment, Report, Sanction } from '../../../plugins/messaging/models';

/** A conversation the person takes part in as the buyer, for the rows below to hang on. */
async function conversationOf(userId: number, subject = 'Seeded conversation'): Promise<Conversation> {
  return Conversation.create({ kind: 'shop', shop_id: null, product_id: null, order_id: null, buyer_id: userId, starter_id: userId, subject, status: 'open', submission_key: crypto.randomUUID(), last_message_at: new Date() });
}

/** The privacy canary's seeders for messaging's personal columns (test/core/privacy-canary.test.ts). */
export const seeders: Record<string, Seeder> = {
  async MessagingConversation(_t, person, c) {
    await Conversation.create({
      kind: 'store',
      shop_id: null,
      product_id: null,
      order_id: null,
      buyer_id: person.userId,
      starter_id: person.userId,
      guest_name: c.for('MessagingConversation', 'guest_name'),
      guest_email: c.email('MessagingConversation', 'guest_email'),
      subject: c.for('MessagingConversation', 'subject'),
      status: 'open',
      submission_key: crypto.randomUUID(),
      last_message_at: new Date(),
    });
  },
  async MessagingMessage(_t, person, c) {
    const conversation = await conversationOf(person.userId);
    await Message.create({ conversation_id: conversation.id, author_id: person.userId, author_side: 'buyer', body: c.for('MessagingMessage', 'body'), submission_key: crypto.randomUUID() });
  },
  async MessagingAttachment(_t, person, c) {
    const conversation = await conversationOf(person.userId);
    const message = await Message.create({ conversation_id: conversation.id, author_id: person.userId, author_side: 'buyer', body: 'With a file', submission_key: crypto.randomUUID() });
    await Attachment.create({ message_id: message.id, conversation_id: conversation.id, file_id: crypto.randomUUID(), name: c.for('MessagingAttachment', 'name'), type: 'image/png', size: 10 });
  },
  async MessagingReport(_t, person, c) {
    const conversation = await conversationOf(person.userId);
    await Report.create({ conversation_id: conversation.id, reporter_id: person.userId, reported_user_id: null, reason: 'spam', note: c.for('MessagingReport', 'note'), status: 'open', resolved_by: null, resolved_at: null });
  },
  async MessagingSanction(_t, person, c) {
    await Sanction.create({ user_id: person.userId, kind: 'warning', reason: c.for('MessagingSanction', 'reason'), report_id: null, created_by: null, lifted_at: null });
  },
};

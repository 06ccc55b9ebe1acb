import { Op, type WhereOptions } from 'sequelize';
import { eraseMailBodies, retentionWhere, type ExportItem, type Person, type PluginContext } from '@agora/core';
import { Conversation } from './models/conversation';
import { Message, REMOVED_BODY } from './models/message';
import { Attachment } from './models/attachment';
import { Report } from './models/report';
import { Sanction } from './models/sanction';
import { AdminRead } from './models/admin-read';
import { conversationRef } from './services/notify';
import type { MessagingSettings } from './settings';

const COVERS = {
  MessagingConversation: ['subject', 'guest_name', 'guest_email'],
  MessagingMessage: ['body'],
  MessagingAttachment: ['name'],
  MessagingReport: ['note'],
  MessagingSanction: ['reason'],
};
const MESSAGES_PER_PAGE = 200;
export const REMOVED_SUBJECT = '(subject removed)';

/** The person's conversations: as the buyer, as the one who opened it, or as the guest of the contact form. */
function conversationsOf(person: Person): WhereOptions<Conversation> {
  const email = person.email.toLowerCase();
  return person.userId ? { [Op.or]: [{ buyer_id: person.userId }, { starter_id: person.userId }, { guest_email: email }] } : { guest_email: email };
}

/** The messages the person wrote: by their account, or as the guest of their own contact-form tickets. */
async function messagesOf(person: Person): Promise<WhereOptions<Message>> {
  const guestTickets = (await Conversation.findAll({ where: { guest_email: person.email.toLowerCase() }, attributes: ['id'] })).map((c) => c.id);
  const any: WhereOptions<Message>[] = [];
  if (person.userId) any.push({ author_id: person.userId });
  if (guestTickets.length) any.push({ conversation_id: guestTickets, author_side: 'buyer', author_id: null });
  return any.length ? { [Op.or]: any } : { id: -1 };
}

/**
 * Exporter: the person's conversations, every message they wrote with its attachments (the bytes, base64), their
 * reports and the sanctions they received. Eraser: their messages read "message removed" in the threads the other
 * party keeps, their attachments are deleted, subjects and guest details go, reports stay only as an anonymized
 * count, sanctions are deleted, and the notification mails the threads caused lose their text.
 */
export function registerMessagingPrivacy(ctx: PluginContext, settings: () => MessagingSettings): void {
  ctx.privacy.exporter({
    name: 'conversations',
    covers: COVERS,
    async exportPage(person, page) {
      const items: ExportItem[] = [];
      if (page === 1) {
        for (const c of await Conversation.findAll({ where: conversationsOf(person), order: [['id', 'ASC']] })) {
          items.push({ group: 'Conversations', id: c.id, data: { subject: c.subject, status: c.status, kind: c.kind, guest_name: c.guest_name, guest_email: c.guest_email, started_at: c.created_at.toISOString(), last_message_at: c.last_message_at.toISOString() } });
        }
        if (person.userId) {
          for (const r of await Report.findAll({ where: { reporter_id: person.userId }, order: [['id', 'ASC']] })) {
            items.push({ group: 'Conversations you reported', id: r.id, data: { conversation: r.conversation_id, reason: r.reason, note: r.note, status: r.status, at: r.created_at.toISOString() } });
          }
          for (const s of await Sanction.findAll({ where: { user_id: person.userId }, order: [['id', 'ASC']] })) {
            items.push({ group: 'Warnings and suspensions of your messaging', id: s.id, data: { kind: s.kind, reason: s.reason, at: s.created_at.toISOString(), lifted_at: s.lifted_at?.toISOString() ?? null } });
          }
        }
        return { items, done: false };
      }
      const messages = await Message.findAll({ where: await messagesOf(person), order: [['id', 'ASC']], limit: MESSAGES_PER_PAGE, offset: (page - 2) * MESSAGES_PER_PAGE });
      const attachments = messages.length ? await Attachment.findAll({ where: { message_id: messages.map((m) => m.id) }, order: [['id', 'ASC']] }) : [];
      for (const m of messages) {
        const files = [];
        for (const a of attachments.filter((x) => x.message_id === m.id)) {
          const bytes = await ctx.files.private.read(a.file_id);
          files.push({ name: a.name, type: a.type, size: a.size, content_base64: bytes ? bytes.toString('base64') : null });
        }
        items.push({ group: 'Messages you wrote', id: m.id, data: { conversation: m.conversation_id, body: m.body, at: m.created_at.toISOString(), attachments: files } });
      }
      return { items, done: messages.length < MESSAGES_PER_PAGE };
    },
  });

  ctx.privacy.eraser({
    name: 'conversations',
    covers: COVERS,
    async erasePage(person) {
      const removed: string[] = [];
      const anonymized: string[] = [];
      const messageWhere = await messagesOf(person);
      const messages = await Message.findAll({ where: messageWhere, attributes: ['id', 'conversation_id'] });
      const conversations = await Conversation.findAll({ where: conversationsOf(person), attributes: ['id'] });
      const threadIds = [...new Set([...messages.map((m) => m.conversation_id), ...conversations.map((c) => c.id)])];
      // The mails these threads caused first, while they can still be found by their subject.
      const mails = threadIds.length ? await eraseMailBodies({ subjectIncludes: threadIds.map(conversationRef), keepAddress: true }) : 0;
      if (mails) removed.push(`the text of ${mails} notification ${mails === 1 ? 'email' : 'emails'} about your conversations`);

      const attachments = messages.length ? await Attachment.findAll({ where: { message_id: messages.map((m) => m.id) } }) : [];
      for (const a of attachments) await ctx.files.private.remove(a.file_id);
      if (attachments.length) {
        await Attachment.destroy({ where: { id: attachments.map((a) => a.id) } });
        removed.push(`${attachments.length} ${attachments.length === 1 ? 'attachment' : 'attachments'}`);
      }
      if (messages.length) {
        await Message.update({ body: REMOVED_BODY, removed: true, author_id: null }, { where: { id: messages.map((m) => m.id) } });
        removed.push(`the text of ${messages.length} ${messages.length === 1 ? 'message' : 'messages'} (they read “${REMOVED_BODY}” in the other party’s thread)`);
      }
      if (conversations.length) {
        const ids = conversations.map((c) => c.id);
        await Conversation.update({ subject: REMOVED_SUBJECT, guest_name: null, guest_email: null }, { where: { id: ids } });
        if (person.userId) {
          await Conversation.update({ buyer_id: null }, { where: { id: ids, buyer_id: person.userId } });
          await Conversation.update({ starter_id: null }, { where: { id: ids, starter_id: person.userId } });
        }
        anonymized.push(`${ids.length} ${ids.length === 1 ? 'conversation' : 'conversations'} (subject and your name removed; the other party keeps the thread)`);
      }
      if (person.userId) {
        const [reported] = await Report.update({ reporter_id: null, note: null }, { where: { reporter_id: person.userId } });
        const [about] = await Report.update({ reported_user_id: null }, { where: { reported_user_id: person.userId } });
        if (reported + about) anonymized.push(`${reported + about} ${reported + about === 1 ? 'report' : 'reports'}, kept only as an anonymized count`);
        const sanctions = await Sanction.destroy({ where: { user_id: person.userId } });
        if (sanctions) removed.push(`${sanctions} ${sanctions === 1 ? 'warning or suspension' : 'warnings and suspensions'}`);
        await AdminRead.update({ admin_id: null }, { where: { admin_id: person.userId } });
      }
      return { removed, anonymized, retained: [], done: true };
    },
  });

  ctx.privacy.retention('conversations', {
    label: 'Closed conversations (support tickets) with their messages and attachments',
    defaultDays: () => settings().retentionDays,
    legalBasis: 'legitimate_interests',
    async apply(cutoff, transaction, scope) {
      // A conversation is held if the buyer, whoever opened it, or the guest's address is restricted.
      const { where, held } = retentionWhere({ status: 'closed', last_message_at: { [Op.lt]: cutoff } }, scope, { user: ['buyer_id', 'starter_id'], email: 'guest_email' });
      const skipped = held ? await Conversation.count({ where: held, transaction }) : 0;
      const old = await Conversation.findAll({ where, attributes: ['id'], transaction });
      if (!old.length) return { removed: 0, anonymized: 0, skipped };
      const ids = old.map((c) => c.id);
      for (const a of await Attachment.findAll({ where: { conversation_id: ids }, transaction })) await ctx.files.private.remove(a.file_id);
      await Attachment.destroy({ where: { conversation_id: ids }, transaction });
      await Message.destroy({ where: { conversation_id: ids }, transaction });
      await AdminRead.destroy({ where: { conversation_id: ids }, transaction });
      await Report.update({ conversation_id: null, note: null }, { where: { conversation_id: ids }, transaction });
      const removed = await Conversation.destroy({ where: { id: ids }, transaction });
      return { removed, anonymized: 0, skipped };
    },
  });

  ctx.privacy.processing({
    data: ['display name', 'messages and their subjects', 'attachments', 'a guest’s name and email address (contact form)', 'reports of abuse and sanctions'],
    purpose: 'Let buyers, sellers and the store’s team talk about products and orders, tell them of new messages by email, and keep the conversations safe from abuse',
    legalBasis: 'contract',
    recipients: ['the other party of each conversation (display name and messages, never the email address)', 'the store’s admins (every conversation; each reading is logged)'],
    retention: 'messaging.conversations: closed conversations are deleted after the configured days without a message (730 by default)',
  });
}

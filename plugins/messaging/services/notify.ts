import { signToken, User, type PluginContext } from '@agora/core';
import { Conversation } from '../models/conversation';
import { Message } from '../models/message';
import { Attachment } from '../models/attachment';

const GUEST_PURPOSE = 'messaging.guest-ticket';

/** The link a guest of the contact form follows to read the store's answers and reply (no account to log in to). */
export function guestTicketKey(ctx: PluginContext, conversationId: number): string {
  return signToken(ctx.config.sessionSecret, GUEST_PURPOSE, { c: conversationId });
}
export { GUEST_PURPOSE };

/** Every mail says which conversation it is about in its subject, so the eraser finds the mail a thread caused. */
export const conversationRef = (id: number): string => `[conversation #${id}]`;

const EXCERPT = 400;

interface Recipient {
  email: string;
  userId?: number;
  link: string;
}

/** Who wrote it, as the other side sees it: never an email address. */
export async function authorLabel(ctx: PluginContext, message: Message, conversation: Conversation): Promise<string> {
  if (message.author_side === 'buyer') {
    if (message.author_id === null) return conversation.guest_name ?? 'A visitor';
    return (await User.findByPk(message.author_id, { attributes: ['id', 'display_name'] }))?.display_name ?? 'A buyer';
  }
  if (message.author_side === 'seller' && conversation.shop_id !== null) return (await ctx.service('shops').shopCard(conversation.shop_id))?.name ?? 'The seller';
  return conversation.kind === 'store' ? 'The store team' : 'The marketplace team (admin)';
}

async function usersById(ids: number[]): Promise<User[]> {
  return ids.length ? User.findAll({ where: { id: ids }, attributes: ['id', 'email'] }) : [];
}

async function recipients(ctx: PluginContext, message: Message, conversation: Conversation): Promise<Recipient[]> {
  const thread = `/messages/${conversation.id}`;
  const out: Recipient[] = [];
  const toBuyer = message.author_side !== 'buyer';
  const toOtherSide = message.author_side === 'buyer' || (message.author_side === 'admin' && conversation.kind === 'shop');
  if (toBuyer) {
    if (conversation.buyer_id !== null) out.push(...(await usersById([conversation.buyer_id])).map((u) => ({ email: u.email, userId: u.id, link: thread })));
    else if (conversation.guest_email) out.push({ email: conversation.guest_email, link: `/contact/tickets/${conversation.id}?key=${encodeURIComponent(guestTicketKey(ctx, conversation.id))}` });
  }
  if (toOtherSide) {
    const ids =
      conversation.kind === 'shop' && conversation.shop_id !== null
        ? (await ctx.service('shops').shopMembers(conversation.shop_id)).map((m) => m.userId)
        : (await User.findAll({ where: { role: 'admin' }, attributes: ['id'] })).map((u) => u.id);
    out.push(...(await usersById(ids)).map((u) => ({ email: u.email, userId: u.id, link: thread })));
  }
  // The author is never told of their own message (a seller who is also the buyer's admin, say).
  return out.filter((r) => r.userId === undefined || r.userId !== message.author_id);
}

/** The notification of one message: to each person of the other side, with a link back and no address of the author. */
export async function sendMessageMail(ctx: PluginContext, messageId: number): Promise<void> {
  const message = await Message.findByPk(messageId);
  const conversation = message ? await Conversation.findByPk(message.conversation_id) : null;
  if (!message || !conversation || message.removed) return;
  const from = await authorLabel(ctx, message, conversation);
  const attachments = await Attachment.count({ where: { message_id: message.id } });
  const excerpt = message.body.length > EXCERPT ? `${message.body.slice(0, EXCERPT)}…` : message.body;
  for (const r of await recipients(ctx, message, conversation)) {
    await ctx.mail.send({
      to: r.email,
      userId: r.userId,
      // The subject names no person (it outlives an erasure of the body); the body says who wrote.
      subject: `New message ${conversationRef(conversation.id)}`,
      template: 'messaging/mail/new-message',
      data: { from, subject: conversation.subject, excerpt, attachments, link: r.link },
    });
  }
}

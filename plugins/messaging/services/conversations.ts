import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import { afterCommit, perRequest, User, type PluginContext } from '@agora/core';
import { Conversation, UNREAD_MEMO, type ConversationKind, type ConversationStatus } from '../models/conversation';
import { Message, type AuthorSide } from '../models/message';
import { Attachment } from '../models/attachment';
import { Sanction } from '../models/sanction';
import type { MessagingSettings } from '../settings';
import type { IncomingFile } from './attachments';
import { MessagingRefusal } from './refusal';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Links, written out or bare (`example.com/x`): what a spammer's first message carries. */
const LINK = /(https?:\/\/|www\.)\S|\b[a-z0-9-]{2,}\.(com|net|org|info|biz|io|co|ru|cn|xyz|top|shop|site|online|link|click)\b/i;
export const hasLink = (text: string): boolean => LINK.test(text);

export interface StartInput {
  kind: ConversationKind;
  shopId: number | null;
  productId: number | null;
  orderId: number | null;
  buyerId: number | null;
  /** The account writing, or null for a guest using the store's contact form. */
  starter: Express.User | null;
  starterSide: 'buyer' | 'seller';
  guestName?: string | null;
  guestEmail?: string | null;
  subject: string;
  body: string;
  files: IncomingFile[];
  submissionKey: string;
  /** Other plugins' parts of the form (section `messaging.contact`), committed with the conversation. */
  commitSections?: (tx: Transaction, ids: { conversationId: number; messageId: number }) => Promise<void>;
}

export interface Started {
  conversation: Conversation;
  /** True when this was the same form sent again: the conversation the first one opened. */
  repeated: boolean;
}

/** Whether the person may write messages now (an admin may suspend them after a report). */
export async function suspensionOf(userId: number): Promise<Sanction | null> {
  return Sanction.findOne({ where: { user_id: userId, kind: 'suspension', lifted_at: null } });
}

async function saveFiles(ctx: PluginContext, files: IncomingFile[]): Promise<Array<IncomingFile & { id: string; size: number }>> {
  const saved: Array<IncomingFile & { id: string; size: number }> = [];
  try {
    for (const f of files) {
      const info = await ctx.files.private.save(f.buffer, { name: f.name, type: f.type });
      saved.push({ ...f, id: info.id, size: info.size });
    }
  } catch (error) {
    await removeFiles(ctx, saved.map((s) => s.id));
    throw error;
  }
  return saved;
}

async function removeFiles(ctx: PluginContext, ids: string[]): Promise<void> {
  for (const id of ids) await ctx.files.private.remove(id).catch(() => false);
}

/**
 * Opens a conversation with its first message, in one transaction: the per-sender limit and a suspension are
 * checked there, the attachments' rows written, other plugins' sections committed, the notification queued
 * (unless the message is held for review). Files are written first and removed if anything refuses.
 */
export async function startConversation(ctx: PluginContext, settings: MessagingSettings, input: StartInput): Promise<Started> {
  const saved = await saveFiles(ctx, input.files);
  try {
    const conversation = await ctx.sequelize.transaction(async (tx) => {
      const now = new Date();
      if (input.starter) {
        if (await suspensionOf(input.starter.id)) throw new MessagingRefusal('Your messaging is suspended by the store’s team: you cannot send messages.', 'form', 403);
        const recent = await Conversation.count({ where: { starter_id: input.starter.id, created_at: { [Op.gt]: new Date(now.getTime() - HOUR) } } });
        if (recent >= settings.conversationsPerHour) {
          throw new MessagingRefusal(`You have started ${settings.conversationsPerHour} conversations in the last hour, the most allowed. Please wait a while, or reply in one of your open conversations.`, 'form', 429);
        }
      }
      const held = await shouldHold(settings, input);
      const fromBuyer = input.starterSide === 'buyer';
      const conversation = await Conversation.create(
        {
          kind: input.kind,
          shop_id: input.shopId,
          product_id: input.productId,
          order_id: input.orderId,
          buyer_id: input.buyerId,
          starter_id: input.starter?.id ?? null,
          guest_name: input.guestName ?? null,
          guest_email: input.guestEmail ?? null,
          subject: input.subject,
          status: fromBuyer ? 'open' : 'waiting_buyer',
          held,
          buyer_unread: fromBuyer ? 0 : 1,
          seller_unread: fromBuyer && !held ? 1 : 0,
          submission_key: input.submissionKey,
          last_message_at: now,
        },
        { transaction: tx },
      );
      const message = await Message.create(
        { conversation_id: conversation.id, author_id: input.starter?.id ?? null, author_side: input.starterSide, body: input.body, submission_key: input.submissionKey },
        { transaction: tx },
      );
      await writeAttachments(saved, message, tx);
      await input.commitSections?.(tx, { conversationId: conversation.id, messageId: message.id });
      if (!held) await ctx.jobs.enqueue('messaging.notify', { messageId: message.id }, { tx, dedupeKey: `messaging.notify:${message.id}` });
      afterCommit(tx, () => ctx.hooks.do('messaging.conversation.started', conversation, message));
      return conversation;
    });
    return { conversation, repeated: false };
  } catch (error) {
    await removeFiles(ctx, saved.map((s) => s.id));
    if (error instanceof UniqueConstraintError) {
      const first = await Conversation.findOne({ where: { submission_key: input.submissionKey } });
      if (first && first.starter_id === (input.starter?.id ?? null)) return { conversation: first, repeated: true };
      throw new MessagingRefusal('This form was already sent. Please reload the page and try again.');
    }
    throw error;
  }
}

async function shouldHold(settings: MessagingSettings, input: StartInput): Promise<boolean> {
  if (input.kind !== 'shop' || !input.starter || !settings.holdLinksFromNewAccounts) return false;
  if (!hasLink(`${input.subject}\n${input.body}`)) return false;
  const user = await User.findByPk(input.starter.id, { attributes: ['id', 'created_at'] });
  return !!user && user.created_at.getTime() > Date.now() - settings.newAccountDays * DAY;
}

async function writeAttachments(saved: Array<IncomingFile & { id: string; size: number }>, message: Message, tx: Transaction): Promise<void> {
  for (const f of saved) {
    await Attachment.create({ message_id: message.id, conversation_id: message.conversation_id, file_id: f.id, name: f.name, type: f.type, size: f.size }, { transaction: tx });
  }
}

export interface ReplyInput {
  author: Express.User | null;
  side: AuthorSide;
  body: string;
  files: IncomingFile[];
  submissionKey: string;
}

/** What a message from this side does to the status: the other side is now the one awaited. */
function statusAfter(side: AuthorSide, kind: ConversationKind, current: ConversationStatus): ConversationStatus {
  if (side === 'buyer') return 'waiting_seller';
  if (side === 'seller' || kind === 'store') return 'waiting_buyer';
  // An admin stepping into a shop conversation changes nobody's turn (but reopens a closed one).
  return current === 'closed' ? 'open' : current;
}

/** Adds a message to a thread (a reply reopens a closed conversation); the same form sent twice adds it once. */
export async function postReply(ctx: PluginContext, conversation: Conversation, input: ReplyInput): Promise<{ message: Message; repeated: boolean }> {
  const saved = await saveFiles(ctx, input.files);
  try {
    const message = await ctx.sequelize.transaction(async (tx) => {
      if (input.author && (await suspensionOf(input.author.id))) throw new MessagingRefusal('Your messaging is suspended by the store’s team: you cannot send messages.', 'form', 403);
      const message = await Message.create(
        { conversation_id: conversation.id, author_id: input.author?.id ?? null, author_side: input.side, body: input.body, submission_key: input.submissionKey },
        { transaction: tx },
      );
      await writeAttachments(saved, message, tx);
      const from = conversation.status;
      const to = statusAfter(input.side, conversation.kind, from);
      const forBuyer = input.side !== 'buyer' ? 1 : 0;
      const forSeller = input.side === 'buyer' || (input.side === 'admin' && conversation.kind === 'shop') ? 1 : 0;
      await Conversation.update({ status: to, last_message_at: new Date() }, { where: { id: conversation.id }, transaction: tx });
      if (forBuyer || forSeller) await Conversation.increment({ buyer_unread: forBuyer, seller_unread: forSeller }, { where: { id: conversation.id }, transaction: tx });
      // A reply while a first message is held waits with it: the admin's release tells the shop of both.
      if (!conversation.held) await ctx.jobs.enqueue('messaging.notify', { messageId: message.id }, { tx, dedupeKey: `messaging.notify:${message.id}` });
      afterCommit(tx, async () => {
        await ctx.hooks.do('messaging.message.posted', message, conversation);
        if (from !== to) await ctx.hooks.do('messaging.conversation.status.changed', conversation, from, to);
      });
      return message;
    });
    return { message, repeated: false };
  } catch (error) {
    await removeFiles(ctx, saved.map((s) => s.id));
    if (error instanceof UniqueConstraintError) {
      const first = await Message.findOne({ where: { submission_key: input.submissionKey } });
      if (first && first.conversation_id === conversation.id && first.author_id === (input.author?.id ?? null)) return { message: first, repeated: true };
      throw new MessagingRefusal('This form was already sent. Please reload the page and try again.');
    }
    throw error;
  }
}

/** Closes or reopens; the conditional update makes two clicks one change (and one hook). */
export async function setStatus(ctx: PluginContext, conversation: Conversation, to: 'closed' | 'open'): Promise<boolean> {
  const from = conversation.status;
  const changed = await ctx.sequelize.transaction(async (tx) => {
    const [n] = await Conversation.update({ status: to }, { where: { id: conversation.id, status: to === 'closed' ? { [Op.ne]: 'closed' } : 'closed' }, transaction: tx });
    if (n === 1) afterCommit(tx, () => ctx.hooks.do('messaging.conversation.status.changed', conversation, from, to));
    return n === 1;
  });
  return changed;
}

/** The person has seen the thread: their side's unread count starts again from zero. */
export async function markRead(conversationId: number, column: 'buyer_unread' | 'seller_unread'): Promise<void> {
  await Conversation.update({ [column]: 0 }, { where: { id: conversationId, [column]: { [Op.gt]: 0 } } });
}

/**
 * Conversations with something unread: on the buyer's side and on the side of the shops the person works in.
 * Read once per request: the header, the account page, the seller's navigation and dashboard all show them.
 */
export function unreadCounts(ctx: PluginContext, userId: number): Promise<{ buyer: number; seller: number }> {
  return perRequest(`${UNREAD_MEMO}${userId}`, async () => {
    const [buyer, shopIds] = await Promise.all([Conversation.count({ where: { buyer_id: userId, buyer_unread: { [Op.gt]: 0 } } }), ctx.service('shops').memberShopIds(userId)]);
    const seller = shopIds.length ? await Conversation.count({ where: { kind: 'shop', shop_id: shopIds, held: false, seller_unread: { [Op.gt]: 0 } } }) : 0;
    return { buyer, seller };
  });
}

import { Op, UniqueConstraintError } from 'sequelize';
import { afterCommit, User, type PluginContext } from '@agora/core';
import { Conversation } from '../models/conversation';
import { Message } from '../models/message';
import { Report, type ReportReason, type ReportStatus } from '../models/report';
import { Sanction } from '../models/sanction';
import type { Side } from './access';
import { MessagingRefusal } from './refusal';

/** The sender a party reports: the last author of the other side (an admin stepping in is never reported). */
async function reportedAuthor(conversation: Conversation, reporterId: number, side: Side): Promise<number | null> {
  const otherSides = side === 'buyer' ? ['seller', 'admin'] : ['buyer'];
  const last = await Message.findOne({
    where: { conversation_id: conversation.id, author_side: otherSides, author_id: { [Op.ne]: reporterId, [Op.not]: null } },
    order: [['id', 'DESC']],
  });
  if (!last?.author_id) return null;
  const author = await User.findByPk(last.author_id, { attributes: ['id', 'role'] });
  return author && author.role !== 'admin' ? author.id : null;
}

/** A party's report; one per person and conversation (the unique index makes a double click one report). */
export async function reportConversation(ctx: PluginContext, conversation: Conversation, reporter: Express.User, side: Side, reason: ReportReason, note: string): Promise<{ report: Report; repeated: boolean }> {
  const reported = await reportedAuthor(conversation, reporter.id, side);
  if (reported === null) throw new MessagingRefusal('There is no message from the other side to report yet.', 'reason');
  try {
    const report = await ctx.sequelize.transaction(async (tx) => {
      const report = await Report.create({ conversation_id: conversation.id, reporter_id: reporter.id, reported_user_id: reported, reason, note: note || null, status: 'open', resolved_by: null, resolved_at: null }, { transaction: tx });
      await ctx.jobs.enqueue('messaging.report-mail', { reportId: report.id }, { tx, dedupeKey: `messaging.report-mail:${report.id}` });
      afterCommit(tx, () => ctx.hooks.do('messaging.conversation.reported', report, conversation));
      return report;
    });
    return { report, repeated: false };
  } catch (error) {
    if (!(error instanceof UniqueConstraintError)) throw error;
    const first = await Report.findOne({ where: { conversation_id: conversation.id, reporter_id: reporter.id } });
    if (!first) throw error;
    return { report: first, repeated: true };
  }
}

export type ModerationAction = 'dismiss' | 'warn' | 'suspend' | 'close_account';
const OUTCOME: Record<ModerationAction, ReportStatus> = { dismiss: 'dismissed', warn: 'warned', suspend: 'suspended', close_account: 'closed' };

/**
 * An admin's decision on an open report. The report is claimed by a conditional update (`open` → outcome), so two
 * admins (or two clicks) decide it once; the sanction and its mail are written in the same transaction. Closing
 * the sender's account runs core's erasers for them after the commit, as closing it themselves would.
 */
export async function decideReport(ctx: PluginContext, reportId: number, admin: Express.User, action: ModerationAction, message: string): Promise<{ decided: boolean; closed?: boolean }> {
  const report = await Report.findByPk(reportId);
  if (!report) return { decided: false };
  const sender = report.reported_user_id !== null ? await User.findByPk(report.reported_user_id) : null;
  if (action !== 'dismiss' && !sender) throw new MessagingRefusal('The sender’s account no longer exists: only dismissing is left.', 'action');
  if (action === 'close_account' && sender?.role === 'admin') throw new MessagingRefusal('An admin’s account is not closed from here.', 'action');

  const decided = await ctx.sequelize.transaction(async (tx) => {
    const [n] = await Report.update({ status: OUTCOME[action], resolved_by: admin.id, resolved_at: new Date() }, { where: { id: report.id, status: 'open' }, transaction: tx });
    if (n !== 1) return false;
    if ((action === 'warn' || action === 'suspend') && sender) {
      const reason = message || (action === 'warn' ? 'Messages you sent were reported and break the store’s rules.' : 'Messages you sent were reported; your messaging is suspended.');
      const sanction = await Sanction.create({ user_id: sender.id, kind: action === 'warn' ? 'warning' : 'suspension', reason, report_id: report.id, created_by: admin.id, lifted_at: null }, { transaction: tx });
      await ctx.jobs.enqueue('messaging.warning-mail', { sanctionId: sanction.id }, { tx, dedupeKey: `messaging.warning-mail:${sanction.id}` });
    }
    // Other open reports of the same sender and conversation are settled by the same decision.
    await Report.update({ status: OUTCOME[action], resolved_by: admin.id, resolved_at: new Date() }, { where: { conversation_id: report.conversation_id, reported_user_id: report.reported_user_id, status: 'open' }, transaction: tx });
    return true;
  });
  if (!decided) return { decided: false };
  if (action === 'close_account' && sender) {
    const { id, email } = sender;
    await ctx.platform.privacy.erasePerson({ email, userId: id });
    const gone = !(await User.findByPk(id, { attributes: ['id'] }));
    if (gone) await ctx.hooks.do('core.user.deleted', id, email);
    return { decided: true, closed: gone };
  }
  return { decided: true };
}

/** Lifts a suspension (the admin's page lists who is suspended). */
export async function liftSuspension(userId: number): Promise<number> {
  const [n] = await Sanction.update({ lifted_at: new Date() }, { where: { user_id: userId, kind: 'suspension', lifted_at: null } });
  return n;
}

export async function sendSanctionMail(ctx: PluginContext, sanctionId: number): Promise<void> {
  const sanction = await Sanction.findByPk(sanctionId);
  const user = sanction ? await User.findByPk(sanction.user_id) : null;
  if (!sanction || !user) return;
  await ctx.mail.send({
    to: user.email,
    userId: user.id,
    subject: sanction.kind === 'warning' ? 'A warning about your messages' : 'Your messaging is suspended',
    template: 'messaging/mail/sanction',
    data: { kind: sanction.kind, reason: sanction.reason, name: user.display_name },
  });
}

/** The admins learn of a report by email; the page behind the link shows who reported whom (admins only). */
export async function sendReportMail(ctx: PluginContext, reportId: number): Promise<void> {
  const report = await Report.findByPk(reportId);
  if (!report || report.status !== 'open') return;
  for (const admin of await User.findAll({ where: { role: 'admin' }, attributes: ['id', 'email'] })) {
    await ctx.mail.send({
      to: admin.email,
      userId: admin.id,
      subject: `A conversation was reported (report #${report.id})`,
      template: 'messaging/mail/report',
      data: { reason: report.reason === 'spam' ? 'spam' : 'harassment', link: '/admin/messages?view=reports' },
    });
  }
}

/** Releases a conversation held for review: the shop sees it now and is told of each message. */
export async function releaseHeld(ctx: PluginContext, conversationId: number): Promise<boolean> {
  return ctx.sequelize.transaction(async (tx) => {
    const [n] = await Conversation.update({ held: false }, { where: { id: conversationId, held: true }, transaction: tx });
    if (n !== 1) return false;
    const messages = await Message.findAll({ where: { conversation_id: conversationId, author_side: 'buyer' }, attributes: ['id'], transaction: tx });
    await Conversation.update({ seller_unread: messages.length }, { where: { id: conversationId }, transaction: tx });
    for (const m of messages) await ctx.jobs.enqueue('messaging.notify', { messageId: m.id }, { tx, dedupeKey: `messaging.notify:${m.id}` });
    return true;
  });
}

/** Refuses a held conversation as spam: it is closed and stays hidden from the shop; the sender sees it closed. */
export async function rejectHeld(conversationId: number): Promise<boolean> {
  const [n] = await Conversation.update({ status: 'closed' }, { where: { id: conversationId, held: true, status: { [Op.ne]: 'closed' } } });
  return n === 1;
}

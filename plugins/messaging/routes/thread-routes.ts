import type { Request, Response } from 'express';
import { notFound, parseForm, requireUser, type FieldErrors, type PluginContext } from '@agora/core';
import { Conversation } from '../models/conversation';
import { Attachment } from '../models/attachment';
import type { MessagingSettings } from '../settings';
import { replySchema, reportSchema, statusSchema, REPORT_REASON_LABELS } from '../forms/message-forms';
import { logAdminRead, sideOf, unreadColumn, type Side } from '../services/access';
import { attachmentUpload, readAttachments } from '../services/attachments';
import { markRead, postReply, setStatus, suspensionOf } from '../services/conversations';
import { reportConversation } from '../services/moderation';
import { buildThread, statusLabel } from '../services/thread';
import { newSubmissionKey, refusalOf, typedValues } from './form-helpers';

const ID = /^\d{1,10}$/;

/**
 * A conversation's page and everything done on it. Every route loads the conversation and asks `sideOf` first:
 * a person who is no party (and no admin) gets the same 404 as for a conversation that does not exist.
 */
export function threadRoutes(ctx: PluginContext, settings: () => MessagingSettings): void {
  const { router } = ctx;

  const load = async (req: Request): Promise<{ conversation: Conversation; side: Side }> => {
    const id = String(req.params.id);
    const conversation = ID.test(id) ? await Conversation.findByPk(Number(id)) : null;
    const side = conversation ? await sideOf(ctx, req.user, conversation) : undefined;
    if (!conversation || !side) throw notFound('conversation');
    return { conversation, side };
  };

  const show = async (req: Request, res: Response, conversation: Conversation, side: Side, extra: { values?: Record<string, string>; errors?: FieldErrors; reportErrors?: FieldErrors } = {}, status = 200) => {
    const thread = await buildThread(ctx, conversation, { id: req.user?.id ?? null, side });
    const suspended = req.user ? await suspensionOf(req.user.id) : null;
    await res.renderPage(
      'messaging/thread',
      {
        title: conversation.subject,
        conversation,
        side,
        thread,
        statusText: statusLabel(conversation.status, conversation.kind),
        values: extra.values ?? { body: '', submission: newSubmissionKey() },
        errors: extra.errors ?? {},
        reportErrors: extra.reportErrors ?? {},
        reasons: REPORT_REASON_LABELS,
        limits: settings(),
        suspended: !!suspended,
        base: `/messages/${conversation.id}`,
        guestKey: null,
      },
      status,
    );
  };

  router.get('/messages/:id', requireUser, async (req, res) => {
    const { conversation, side } = await load(req);
    // An admin reading a conversation they are no party to is logged each time, before anything is shown.
    if (side === 'admin') await logAdminRead(conversation.id, req.user!.id);
    const column = unreadColumn(side);
    if (column) await markRead(conversation.id, column);
    await show(req, res, conversation, side);
  });

  router.post('/messages/:id/reply', requireUser, attachmentUpload(ctx, settings), async (req, res) => {
    const { conversation, side } = await load(req);
    const s = settings();
    const values = typedValues(req.body, ['body', 'submission']);
    const fail = (errors: FieldErrors, status = 422) => show(req, res, conversation, side, { values: { ...values, submission: values.submission || newSubmissionKey() }, errors }, status);
    const parsed = parseForm(replySchema(s.maxMessageChars), req.body);
    const files = readAttachments(req, s);
    if (!parsed.ok || 'error' in files) return fail({ ...(parsed.ok ? {} : parsed.errors), ...('error' in files ? { attachments: files.error } : {}) });
    try {
      const { repeated } = await postReply(ctx, conversation, { author: req.user!, side: side === 'staff' ? 'admin' : side, body: parsed.data.body, files: files.files, submissionKey: parsed.data.submission });
      res.flash(repeated ? 'info' : 'success', repeated ? 'This message was already sent.' : 'Your message was sent.');
      res.redirect(303, `/messages/${conversation.id}#latest`);
    } catch (error) {
      const refused = refusalOf(ctx, error);
      if (!refused) throw error;
      return fail(refused.errors, refused.status);
    }
  });

  router.post('/messages/:id/status', requireUser, async (req, res) => {
    const { conversation, side } = await load(req);
    const parsed = parseForm(statusSchema, req.body);
    if (!parsed.ok) return show(req, res, conversation, side, { errors: parsed.errors }, 422);
    const changed = await setStatus(ctx, conversation, parsed.data.to);
    res.flash('success', changed ? (parsed.data.to === 'closed' ? 'The conversation is closed. A new message reopens it.' : 'The conversation is open again.') : 'Nothing changed.');
    res.redirect(303, `/messages/${conversation.id}`);
  });

  router.post('/messages/:id/report', requireUser, async (req, res) => {
    const { conversation, side } = await load(req);
    // The parties report; an admin reading it acts on reports instead.
    if (side === 'admin' || side === 'staff') throw notFound('conversation');
    const parsed = parseForm(reportSchema, req.body);
    if (!parsed.ok) return show(req, res, conversation, side, { reportErrors: parsed.errors }, 422);
    try {
      const { repeated } = await reportConversation(ctx, conversation, req.user!, side, parsed.data.reason, parsed.data.note);
      res.flash('success', repeated ? 'You already reported this conversation; the store’s team is looking into it.' : 'Thank you. The store’s team will look at this conversation.');
      res.redirect(303, `/messages/${conversation.id}`);
    } catch (error) {
      const refused = refusalOf(ctx, error);
      if (!refused) throw error;
      return show(req, res, conversation, side, { reportErrors: refused.errors }, refused.status);
    }
  });

  router.get('/messages/:id/attachments/:attachmentId', requireUser, async (req, res) => {
    const { conversation, side } = await load(req);
    const attachmentId = String(req.params.attachmentId);
    const attachment = ID.test(attachmentId) ? await Attachment.findOne({ where: { id: Number(attachmentId), conversation_id: conversation.id } }) : null;
    if (!attachment) throw notFound('attachment');
    if (side === 'admin') await logAdminRead(conversation.id, req.user!.id);
    // Images are shown in the page; a PDF (anything else) is always a download (core sets Content-Disposition).
    await ctx.files.private.send(res, attachment.file_id, { inline: attachment.type.startsWith('image/') });
  });
}

import type { Request, Response } from 'express';
import { notFound, parseForm, readToken, type FieldErrors, type PluginContext } from '@agora/core';
import { Conversation } from '../models/conversation';
import type { MessagingSettings } from '../settings';
import { replySchema, storeContactSchema } from '../forms/message-forms';
import { postReply, startConversation } from '../services/conversations';
import { GUEST_PURPOSE } from '../services/notify';
import { buildThread, statusLabel } from '../services/thread';
import { newSubmissionKey, refusalOf, typedValues } from './form-helpers';

const FIELDS = ['name', 'email', 'subject', 'body', 'submission'] as const;
const HOUR = 3600_000;

/**
 * The store's own contact form (`/contact`, guests too): a ticket with the admins. No captcha: a honeypot field
 * people never see, and core's rate limit per address. A guest follows the signed link in the store's answer.
 */
export function contactRoutes(ctx: PluginContext, settings: () => MessagingSettings): void {
  const { router } = ctx;
  const limit = ctx.http.rateLimit('contact', { windowMs: HOUR, limit: () => settings().contactPerHour });

  const show = async (req: Request, res: Response, values: Record<string, string>, errors: FieldErrors = {}, status = 200) => {
    const context = { viewer: req.user ?? null, kind: 'store' as const };
    const formSections = await ctx.forms.render('messaging.contact', { req, context, body: req.method === 'POST' ? req.body : undefined, errors });
    await res.renderPage('messaging/contact', { title: 'Contact us', values, errors, formSections, guest: !req.user, limits: settings() }, status);
  };

  router.get('/contact', async (req, res) => show(req, res, { name: '', email: '', subject: '', body: '', submission: newSubmissionKey() }));

  router.post('/contact', limit, async (req, res) => {
    const s = settings();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = typedValues(body, FIELDS);
    // A bot fills every field; the honeypot is hidden from people (and from screen readers). It is told nothing.
    if (typeof body.website === 'string' && body.website.trim() !== '') {
      ctx.log.info('contact form: honeypot filled, message dropped');
      return res.redirect(303, '/contact/sent');
    }
    const context = { viewer: req.user ?? null, kind: 'store' as const };
    const parsed = await ctx.forms.parse('messaging.contact', storeContactSchema(s.maxMessageChars, !req.user), body, { req, context });
    if (!parsed.ok) return show(req, res, values, parsed.errors, 422);
    const { data } = parsed;
    try {
      const { conversation } = await startConversation(ctx, s, {
        kind: 'store',
        shopId: null,
        productId: null,
        orderId: null,
        buyerId: req.user?.id ?? null,
        starter: req.user ?? null,
        starterSide: 'buyer',
        guestName: req.user ? null : (data.name ?? null),
        guestEmail: req.user ? null : (data.email ?? null),
        subject: data.subject,
        body: data.body,
        files: [],
        submissionKey: data.submission,
        commitSections: (tx, ids) =>
          ctx.forms.commit('messaging.contact', tx, parsed.sections, req, { ...ids, kind: 'store', userId: req.user?.id ?? null, email: req.user?.email ?? data.email ?? null }),
      });
      if (req.user) {
        res.flash('success', 'Your message was sent to the store’s team.');
        return res.redirect(303, `/messages/${conversation.id}`);
      }
      res.redirect(303, '/contact/sent');
    } catch (error) {
      const refused = refusalOf(ctx, error);
      if (!refused) throw error;
      return show(req, res, { ...values, submission: newSubmissionKey() }, refused.errors, refused.status);
    }
  });

  router.get('/contact/sent', async (_req, res) => {
    await res.renderPage('messaging/contact-sent', { title: 'Message sent' });
  });

  // A guest's ticket, through the signed link of the store's answer: no account, so the link is the key.
  const guestTicket = async (req: Request) => {
    const id = Number(req.params.id);
    const key = req.method === 'GET' ? req.query.key : (req.body as Record<string, unknown> | undefined)?.key;
    const reading = readToken(ctx.config.sessionSecret, GUEST_PURPOSE, key);
    if (!reading.ok || reading.claims.c !== id) throw notFound('conversation');
    const conversation = await Conversation.findByPk(id);
    if (!conversation || conversation.kind !== 'store' || conversation.buyer_id !== null) throw notFound('conversation');
    return { conversation, key: String(key) };
  };

  const showGuest = async (req: Request, res: Response, conversation: Conversation, key: string, values: Record<string, string>, errors: FieldErrors = {}, status = 200) => {
    const thread = await buildThread(ctx, conversation, { id: null, side: 'buyer' });
    await res.renderPage(
      'messaging/thread',
      { title: conversation.subject, conversation, side: 'buyer', thread, statusText: statusLabel(conversation.status, conversation.kind), values, errors, reportErrors: {}, reasons: {}, limits: settings(), suspended: false, base: `/contact/tickets/${conversation.id}`, guestKey: key },
      status,
    );
  };

  router.get('/contact/tickets/:id', async (req, res) => {
    const { conversation, key } = await guestTicket(req);
    await Conversation.update({ buyer_unread: 0 }, { where: { id: conversation.id } });
    await showGuest(req, res, conversation, key, { body: '', submission: newSubmissionKey() });
  });

  router.post('/contact/tickets/:id', limit, async (req, res) => {
    const { conversation, key } = await guestTicket(req);
    const values = typedValues(req.body, ['body', 'submission']);
    const parsed = parseForm(replySchema(settings().maxMessageChars), req.body);
    if (!parsed.ok) return showGuest(req, res, conversation, key, values, parsed.errors, 422);
    try {
      await postReply(ctx, conversation, { author: null, side: 'buyer', body: parsed.data.body, files: [], submissionKey: parsed.data.submission });
    } catch (error) {
      const refused = refusalOf(ctx, error);
      if (!refused) throw error;
      return showGuest(req, res, conversation, key, values, refused.errors, refused.status);
    }
    res.flash('success', 'Your message was sent to the store’s team.');
    res.redirect(303, `/contact/tickets/${conversation.id}?key=${encodeURIComponent(key)}`);
  });
}

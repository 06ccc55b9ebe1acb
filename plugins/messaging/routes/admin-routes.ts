import type { Request, RequestHandler, Response } from 'express';
import { Op } from 'sequelize';
import { forbidden, notFound, pageFrom, pager, parseForm, requireUser, User, type FieldErrors, type PluginContext } from '@agora/core';
import { Conversation } from '../models/conversation';
import { Report } from '../models/report';
import { Sanction } from '../models/sanction';
import { AdminRead } from '../models/admin-read';
import { moderationSchema, REPORT_REASON_LABELS } from '../forms/message-forms';
import { READ_ALL } from '../services/access';
import { decideReport, liftSuspension, rejectHeld, releaseHeld } from '../services/moderation';
import { statusLabel } from '../services/thread';
import { refusalOf } from './form-helpers';

const VIEWS = ['tickets', 'held', 'reports', 'all', 'suspended', 'reads'] as const;
type View = (typeof VIEWS)[number];
const PER_PAGE = 30;
const ID = /^\d{1,10}$/;

/** The admins' side: store tickets, conversations held for review, reports, every conversation and the reading log. */
export function adminRoutes(ctx: PluginContext): void {
  const { router } = ctx;
  const guard: RequestHandler = (req, res, next) => {
    if (!req.user) return requireUser(req, res, next);
    ctx.capabilities.can(req.user, READ_ALL).then((ok) => next(ok ? undefined : forbidden())).catch(next);
  };

  const names = async (ids: Array<number | null>) => {
    const wanted = [...new Set(ids.filter((v): v is number => v !== null))];
    return new Map((wanted.length ? await User.findAll({ where: { id: wanted }, attributes: ['id', 'display_name', 'email'] }) : []).map((u) => [u.id, `${u.display_name} <${u.email}>`]));
  };

  const show = async (req: Request, res: Response, errors: FieldErrors = {}, status = 200, shown?: View) => {
    const view: View = shown ?? ((VIEWS as readonly string[]).includes(String(req.query.view)) ? (req.query.view as View) : 'tickets');
    const page = pageFrom(req.query, PER_PAGE);
    const locals: Record<string, unknown> = { title: 'Messages', view, views: VIEWS, errors, reasons: REPORT_REASON_LABELS, statusLabel };
    if (view === 'reports') {
      const { rows, count } = await Report.findAndCountAll({ order: [['status', 'DESC'], ['id', 'DESC']], limit: page.perPage, offset: page.offset, where: req.query.all === '1' ? {} : { status: 'open' } });
      const people = await names(rows.flatMap((r) => [r.reporter_id, r.reported_user_id]));
      locals.reports = rows.map((r) => ({ report: r, reporter: r.reporter_id !== null ? (people.get(r.reporter_id) ?? 'former account') : 'erased', reported: r.reported_user_id !== null ? (people.get(r.reported_user_id) ?? 'former account') : 'erased' }));
      locals.pager = pager('/admin/messages', req.query, { page: page.page, perPage: page.perPage, total: count, noun: 'reports' });
    } else if (view === 'suspended') {
      const rows = await Sanction.findAll({ where: { kind: 'suspension', lifted_at: null }, order: [['id', 'DESC']], limit: 200 });
      const people = await names(rows.map((r) => r.user_id));
      locals.suspensions = rows.map((s) => ({ sanction: s, person: people.get(s.user_id) ?? 'former account' }));
    } else if (view === 'reads') {
      const { rows, count } = await AdminRead.findAndCountAll({ order: [['id', 'DESC']], limit: page.perPage, offset: page.offset });
      const people = await names(rows.map((r) => r.admin_id));
      locals.reads = rows.map((r) => ({ read: r, admin: r.admin_id !== null ? (people.get(r.admin_id) ?? 'former admin') : 'erased' }));
      locals.pager = pager('/admin/messages', req.query, { page: page.page, perPage: page.perPage, total: count, noun: 'readings' });
    } else {
      const where = view === 'tickets' ? { kind: 'store' } : view === 'held' ? { held: true, status: { [Op.ne]: 'closed' } } : {};
      const { rows, count } = await Conversation.findAndCountAll({ where, order: [['last_message_at', 'DESC'], ['id', 'DESC']], limit: page.perPage, offset: page.offset });
      locals.conversations = rows;
      locals.pager = pager('/admin/messages', req.query, { page: page.page, perPage: page.perPage, total: count, noun: 'conversations' });
    }
    await res.renderPage('messaging/admin/messages', locals, status);
  };

  router.get('/admin/messages', guard, async (req, res) => show(req, res));

  router.post('/admin/messages/:id/release', guard, async (req, res) => {
    if (!ID.test(String(req.params.id))) throw notFound('conversation');
    const done = await releaseHeld(ctx, Number(req.params.id));
    res.flash(done ? 'success' : 'info', done ? 'Released: the shop can see the conversation and was told of it.' : 'That conversation is not held any more.');
    res.redirect(303, '/admin/messages?view=held');
  });

  router.post('/admin/messages/:id/reject', guard, async (req, res) => {
    if (!ID.test(String(req.params.id))) throw notFound('conversation');
    const done = await rejectHeld(Number(req.params.id));
    res.flash(done ? 'success' : 'info', done ? 'Refused: the conversation is closed and the shop never sees it.' : 'That conversation is not held any more.');
    res.redirect(303, '/admin/messages?view=held');
  });

  router.post('/admin/messages/reports/:id', guard, async (req, res) => {
    if (!ID.test(String(req.params.id))) throw notFound('report');
    const parsed = parseForm(moderationSchema, req.body);
    if (!parsed.ok) return show(req, res, parsed.errors, 422, 'reports');
    try {
      const outcome = await decideReport(ctx, Number(req.params.id), req.user!, parsed.data.action, parsed.data.message);
      const told = { dismiss: 'Report dismissed.', warn: 'The sender was warned by email.', suspend: 'The sender’s messaging is suspended; they were told by email.', close_account: outcome.closed ? 'The sender’s account is closed.' : 'The account could not be closed entirely: see the privacy log.' };
      res.flash(outcome.decided ? 'success' : 'info', outcome.decided ? told[parsed.data.action] : 'That report was already decided.');
      res.redirect(303, '/admin/messages?view=reports');
    } catch (error) {
      const refused = refusalOf(ctx, error);
      if (!refused) throw error;
      return show(req, res, refused.errors, refused.status, 'reports');
    }
  });

  router.post('/admin/messages/suspensions/:userId/lift', guard, async (req, res) => {
    if (!ID.test(String(req.params.userId))) throw notFound('person');
    const n = await liftSuspension(Number(req.params.userId));
    res.flash(n ? 'success' : 'info', n ? 'Suspension lifted: they can send messages again.' : 'No suspension to lift.');
    res.redirect(303, '/admin/messages?view=suspended');
  });
}

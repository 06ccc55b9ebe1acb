import type { Response } from 'express';
import { notFound, parseForm, type FieldErrors } from '@agora/core';
import { Breach } from '../models/breach';
import type { RightsDeps } from '../services/deps';
import { breachForm, breachNotifiedForm, breachUsersForm } from '../forms';
import { adminGuard, idOf } from './guard';

export const BREACHES_CAPABILITY = 'gdpr.breaches.manage';
/** Art. 33(1): the authority is told within 72 hours of becoming aware. */
export const NOTIFY_WITHIN_MS = 72 * 3600_000;

export function notifyBy(breach: Pick<Breach, 'discovered_at'>): Date {
  return new Date(breach.discovered_at.getTime() + NOTIFY_WITHIN_MS);
}

/** Breaches not yet notified to the authority, the oldest first: the dashboard's countdown. */
export async function breachesToNotify(): Promise<Array<{ breach: Breach; notifyBy: Date }>> {
  const open = await Breach.findAll({ where: { notified_at: null }, order: [['discovered_at', 'ASC']], limit: 20 });
  return open.map((b) => ({ breach: b, notifyBy: notifyBy(b) }));
}

/** Breaches (/admin/privacy/breaches): record one, the 72-hour countdown, mark the authority notified, email the people affected. */
export function adminBreachRoutes(deps: RightsDeps): void {
  const { ctx } = deps;
  const guard = adminGuard(ctx, BREACHES_CAPABILITY);

  const list = async (res: Response, errors: FieldErrors = {}, values: Record<string, unknown> = {}, status = 200) => {
    const breaches = await Breach.findAll({ order: [['discovered_at', 'DESC']], limit: 100 });
    await res.renderPage('gdpr/rights/admin/breaches', { title: 'Personal-data breaches', breaches: breaches.map((b) => ({ breach: b, notifyBy: notifyBy(b) })), errors, values, now: new Date() }, status);
  };
  const detail = async (res: Response, id: number, errors: FieldErrors = {}, values: Record<string, unknown> = {}, status = 200) => {
    const breach = await Breach.findByPk(id);
    if (!breach) throw notFound('breach');
    await res.renderPage('gdpr/rights/admin/breach', { title: breach.title, breach, notifyBy: notifyBy(breach), now: new Date(), errors, values }, status);
  };

  ctx.router.get('/admin/privacy/breaches', ...guard, async (_req, res) => list(res));

  ctx.router.post('/admin/privacy/breaches', ...guard, async (req, res) => {
    const parsed = parseForm(breachForm, req.body);
    if (!parsed.ok) return list(res, parsed.errors, req.body as Record<string, unknown>, 422);
    const breach = await Breach.create({ ...parsed.data, created_by: req.user!.id });
    res.flash('success', 'The breach is recorded. Notify the supervisory authority within 72 hours of its discovery.');
    res.redirect(303, `/admin/privacy/breaches/${breach.id}`);
  });

  ctx.router.get('/admin/privacy/breaches/:id', ...guard, async (req, res) => {
    const id = idOf(req.params.id);
    if (id === undefined) throw notFound('breach');
    await detail(res, id);
  });

  ctx.router.post('/admin/privacy/breaches/:id/notified', ...guard, async (req, res) => {
    const id = idOf(req.params.id);
    if (id === undefined || !(await Breach.count({ where: { id } }))) throw notFound('breach');
    const parsed = parseForm(breachNotifiedForm, req.body);
    if (!parsed.ok) return detail(res, id, parsed.errors, req.body as Record<string, unknown>, 422);
    const [n] = await Breach.update({ notified_at: new Date(), authority_reference: parsed.data.authority_reference || null }, { where: { id, notified_at: null } });
    res.flash(n ? 'success' : 'info', n ? 'Marked as notified to the supervisory authority.' : 'It was already marked as notified.');
    res.redirect(303, `/admin/privacy/breaches/${id}`);
  });

  ctx.router.post('/admin/privacy/breaches/:id/notify-users', ...guard, async (req, res) => {
    const id = idOf(req.params.id);
    const breach = id === undefined ? null : await Breach.findByPk(id);
    if (!breach || id === undefined) throw notFound('breach');
    const parsed = parseForm(breachUsersForm, req.body);
    if (!parsed.ok) return detail(res, id, parsed.errors, req.body as Record<string, unknown>, 422);
    // Claimed once: a second submit (a double click) finds it done and sends nothing.
    const sent = await ctx.sequelize.transaction(async (tx) => {
      const [n] = await Breach.update({ users_notified_at: new Date(), users_notified_count: parsed.data.emails.length }, { where: { id, users_notified_at: null }, transaction: tx });
      if (!n) return false;
      for (const to of parsed.data.emails) {
        await ctx.mail.send({ to, subject: `Important: a security incident concerning your data`, template: 'gdpr/rights/mail/breach', data: { title: breach.title, message: parsed.data.message, measures: breach.measures } });
      }
      return true;
    });
    res.flash(sent ? 'success' : 'info', sent ? `${parsed.data.emails.length} people will be emailed.` : 'The people affected were already emailed.');
    res.redirect(303, `/admin/privacy/breaches/${id}`);
  });
}

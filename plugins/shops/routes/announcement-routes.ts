import type { Response } from 'express';
import { QueryTypes } from 'sequelize';
import { z } from 'zod';
import { type PluginContext, requireCapability, notFound, parseForm, type FieldErrors } from '@agora/core';
import { Announcement } from '../models/announcement';
import { escapeHtml } from '../services/text';
import { idParam } from './upload-helpers';

const announcementSchema = z.object({
  title: z.string('Enter a title').trim().min(1, 'Enter a title').max(200, 'At most 200 characters'),
  body: z.string('Write the announcement').trim().min(1, 'Write the announcement').max(10_000, 'At most 10,000 characters'),
});

/** The admin's "Announcements" page (news for every seller's dashboard) and the marketplace widget of the admin dashboard. */
export function announcementRoutes(ctx: PluginContext): void {
  const { router } = ctx;
  const CAP = 'shops.announcements.manage';
  ctx.admin.menu({ id: 'shops-announcements', label: 'Announcements', href: '/admin/announcements', capability: CAP, order: 40 });
  const guard = [requireCapability(ctx.capabilities, CAP)];

  const page = async (res: Response, values: Record<string, unknown> = {}, errors: FieldErrors = {}, status = 200) => {
    const announcements = await Announcement.findAll({ order: [['created_at', 'DESC'], ['id', 'DESC']], limit: 100 });
    await res.renderPage('shops/admin/announcements', { title: 'Announcements', announcements, values, errors }, status);
  };

  router.get('/admin/announcements', ...guard, async (_req, res) => page(res));

  router.post('/admin/announcements', ...guard, async (req, res) => {
    const parsed = parseForm(announcementSchema, req.body);
    if (!parsed.ok) return page(res, req.body as Record<string, unknown>, parsed.errors, 422);
    await Announcement.create(parsed.data);
    res.flash('success', 'The announcement is on every seller dashboard.');
    res.redirect(303, '/admin/announcements');
  });

  router.post('/admin/announcements/:id/delete', ...guard, async (req, res) => {
    const id = idParam(req.params.id);
    const removed = id === undefined ? 0 : await Announcement.destroy({ where: { id } });
    if (!removed) throw notFound('announcement');
    res.flash('success', 'The announcement was removed.');
    res.redirect(303, '/admin/announcements');
  });

  ctx.admin.widget({
    id: 'shops-marketplace',
    title: 'Marketplace',
    capability: 'core.admin.access',
    async render(req) {
      const [row] = await ctx.sequelize.query<{ shops: number | string; products: number | string }>(
        "SELECT (SELECT COUNT(*) FROM shops) AS shops, (SELECT COUNT(*) FROM products WHERE status = 'published') AS products",
        { type: QueryTypes.SELECT },
      );
      const n = (v: number | string) => Number(v).toLocaleString('en');
      // Everyone in the admin sees the counts; only who may post announcements gets the link (a moderator would get a 403).
      const link = (await ctx.capabilities.can(req.user, CAP)) ? '<p><a href="/admin/announcements">Post an announcement to sellers</a></p>' : '';
      return `<p><strong>${escapeHtml(n(row.shops))}</strong> shops · <strong>${escapeHtml(n(row.products))}</strong> products published</p>${link}`;
    },
  });
}

import type { Request, RequestHandler, Response } from 'express';
import { Op, type WhereOptions } from 'sequelize';
import { User, forbidden, notFound, pageFrom, pager, parseForm, requireUser, type FieldErrors, type PluginContext } from '@agora/core';
import type {} from '../../shops/service';
import { Review, ReviewPhoto, ReviewReply, ReviewReport } from '../models';
import { REPORT_REASONS } from '../models/review-report';
import { moderationSchema, replyModerationSchema } from '../forms/review-form';
import { dismissReports, moderateReply, moderateReview, type ModerationAction } from '../services/moderation';
import { authorNames, nameOf } from '../services/authors';

export const MODERATE = 'reviews.moderate';

const TABS = {
  pending: 'Awaiting moderation',
  reported: 'Reported',
  replies: 'Seller replies',
  approved: 'Published',
  rejected: 'Rejected',
  spam: 'Spam',
} as const;
type Tab = keyof typeof TABS;

const PER_PAGE = 25;

/** `/admin/reviews`: the moderation queue (capability reviews.moderate: admins and moderators), with bulk actions. */
export function adminRoutes(ctx: PluginContext): void {
  const { router } = ctx;
  const shops = () => ctx.service('shops');
  const mayModerate: RequestHandler = (req, _res, next) => {
    ctx.capabilities
      .can(req.user, MODERATE)
      .then((ok) => next(ok ? undefined : forbidden()))
      .catch(next);
  };
  const guard = [requireUser, mayModerate];

  ctx.admin.menu({ id: 'reviews', label: 'Reviews', href: '/admin/reviews', capability: MODERATE, order: 40 });
  ctx.admin.widget({
    id: 'reviews-queue',
    title: 'Reviews',
    capability: MODERATE,
    render: async () => {
      const [pending, reported, replies] = await Promise.all([
        Review.count({ where: { status: 'pending' } }),
        Review.count({ where: { status: 'approved', report_count: { [Op.gt]: 0 } } }),
        ReviewReply.count({ where: { status: 'pending' } }),
      ]);
      return `<p class="reviews-widget">${pending} awaiting moderation · ${reported} reported · ${replies} seller replies. <a href="/admin/reviews">Moderate reviews</a></p>`;
    },
  });

  const tabOf = (v: unknown): Tab => (typeof v === 'string' && v in TABS ? (v as Tab) : 'pending');

  const page = async (req: Request, res: Response, errors: FieldErrors = {}, status = 200) => {
    const tab = tabOf(req.query.tab);
    const p = pageFrom(req.query, PER_PAGE);
    const counts = {
      pending: await Review.count({ where: { status: 'pending' } }),
      reported: await Review.count({ where: { status: 'approved', report_count: { [Op.gt]: 0 } } }),
      replies: await ReviewReply.count({ where: { status: 'pending' } }),
    };
    if (tab === 'replies') {
      const { rows, count } = await ReviewReply.findAndCountAll({ where: { status: 'pending' }, order: [['created_at', 'ASC'], ['id', 'ASC']], limit: p.perPage, offset: p.offset });
      const reviews = await Review.findAll({ where: { id: rows.map((r) => r.review_id) } });
      const names = await authorNames([...rows.map((r) => r.user_id), ...reviews.map((r) => r.user_id)]);
      const items = await Promise.all(
        rows.map(async (reply) => {
          const review = reviews.find((r) => r.id === reply.review_id);
          return { reply, review, writer: nameOf(names, reply.user_id), author: review ? nameOf(names, review.user_id) : '', product: review ? await shops().productCard(review.product_id) : undefined };
        }),
      );
      return res.renderPage('reviews/admin/queue', { title: 'Reviews', tab, tabs: TABS, counts, items: [], replies: items, pager: pager('/admin/reviews', req.query, { page: p.page, perPage: p.perPage, total: count, noun: 'replies' }), errors, values: req.body ?? {} }, status);
    }
    const where: WhereOptions<Review> =
      tab === 'reported' ? { status: 'approved', report_count: { [Op.gt]: 0 } } : { status: tab };
    const order: Array<[string, string]> = tab === 'pending' ? [['created_at', 'ASC'], ['id', 'ASC']] : [['updated_at', 'DESC'], ['id', 'DESC']];
    const { rows, count } = await Review.findAndCountAll({ where, order, limit: p.perPage, offset: p.offset });
    const ids = rows.map((r) => r.id);
    const [names, photos, reports, users] = await Promise.all([
      authorNames(rows.map((r) => r.user_id)),
      ReviewPhoto.findAll({ where: { review_id: ids }, order: [['position', 'ASC']] }),
      ReviewReport.findAll({ where: { review_id: ids, status: 'open' }, order: [['id', 'ASC']] }),
      User.findAll({ where: { id: rows.map((r) => r.user_id).filter((v): v is number => v !== null) }, attributes: ['id', 'email'] }),
    ]);
    const items = await Promise.all(
      rows.map(async (review) => ({
        review,
        author: nameOf(names, review.user_id),
        email: users.find((u) => u.id === review.user_id)?.email ?? '',
        product: await shops().productCard(review.product_id),
        photos: photos.filter((x) => x.review_id === review.id),
        reports: reports.filter((x) => x.review_id === review.id).map((x) => ({ reason: REPORT_REASONS[x.reason] ?? x.reason, note: x.note, at: x.created_at })),
      })),
    );
    await res.renderPage(
      'reviews/admin/queue',
      { title: 'Reviews', tab, tabs: TABS, counts, items, replies: [], pager: pager('/admin/reviews', req.query, { page: p.page, perPage: p.perPage, total: count, noun: 'reviews' }), errors, values: req.body ?? {} },
      status,
    );
  };

  router.get('/admin/reviews', ...guard, async (req, res) => page(req, res));

  // Bulk (the checked reviews) or one (`?only=<id>`, the buttons on a review, with that review's own reason field).
  router.post('/admin/reviews', ...guard, async (req, res) => {
    const body = { ...((req.body ?? {}) as Record<string, unknown>) };
    const only = Number(req.query.only);
    if (Number.isSafeInteger(only) && only > 0) {
      body.ids = String(only);
      // The bulk select above is named `action` too, so a browser sends both: the pressed button's comes last.
      if (Array.isArray(body.action)) body.action = body.action[body.action.length - 1];
      const own = body[`reason_${only}`];
      if (typeof own === 'string' && own.trim()) body.reason = own;
    }
    const parsed = parseForm(moderationSchema, body);
    if (!parsed.ok) return page(req, res, { form: Object.values(parsed.errors).join(' '), ...parsed.errors }, 422);
    const { action, reason, ids } = parsed.data;
    let done = 0;
    let skipped = 0;
    for (const id of ids) {
      const outcome = action === 'keep' ? ((await dismissReports(ctx, id)) > 0 ? 'done' : 'unchanged') : await moderateReview(ctx, id, action as ModerationAction, { moderatorId: req.user!.id, reason });
      if (outcome === 'done') done++;
      else skipped++;
    }
    const verb = { approve: 'approved', reject: 'rejected', spam: 'marked as spam', keep: 'kept (reports dismissed)' }[action];
    res.flash('success', `${done} ${done === 1 ? 'review' : 'reviews'} ${verb}.${skipped ? ` ${skipped} unchanged (already decided).` : ''}`);
    res.redirect(303, `/admin/reviews${typeof req.query.tab === 'string' ? `?tab=${encodeURIComponent(tabOf(req.query.tab))}` : ''}`);
  });

  router.post('/admin/reviews/replies/:id', ...guard, async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw notFound('reply');
    const parsed = parseForm(replyModerationSchema, req.body);
    if (!parsed.ok) return page(req, res, { form: Object.values(parsed.errors).join(' ') }, 422);
    const outcome = await moderateReply(ctx, id, parsed.data.action, { reason: parsed.data.reason });
    if (outcome === 'missing') throw notFound('reply');
    res.flash('success', outcome === 'done' ? (parsed.data.action === 'approve' ? 'Reply published.' : 'Reply rejected.') : 'That reply was already decided.');
    res.redirect(303, '/admin/reviews?tab=replies');
  });
}

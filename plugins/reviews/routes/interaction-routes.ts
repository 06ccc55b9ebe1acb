import type { Request, Response } from 'express';
import { UniqueConstraintError } from 'sequelize';
import { forbidden, notFound, parseForm, requireUser, type FieldErrors, type PluginContext } from '@agora/core';
import type {} from '../../shops/service';
import { Review, ReviewReply, ReviewReport, ReviewVote } from '../models';
import { REPORT_REASONS } from '../models/review-report';
import { replySchema, reportSchema } from '../forms/review-form';
import { heldReason } from '../services/held';
import type { ReviewsSettings } from '../settings';

const idOf = (req: Request): number => {
  const n = Number(req.params.id);
  if (!Number.isSafeInteger(n) || n <= 0) throw notFound('review');
  return n;
};

/** Helpful votes, reports and the seller's reply: what people do with a published review. */
export function interactionRoutes(ctx: PluginContext, settings: () => ReviewsSettings): void {
  const { router } = ctx;
  const shops = () => ctx.service('shops');
  const reportLimit = ctx.http.rateLimit('report', { windowMs: 15 * 60_000, limit: 10 });
  const replyLimit = ctx.http.rateLimit('reply', { windowMs: 15 * 60_000, limit: 30 });

  const published = async (req: Request) => {
    const review = await Review.findByPk(idOf(req));
    if (!review || review.status !== 'approved') throw notFound('review');
    const product = await shops().productCard(review.product_id);
    if (!product) throw notFound('product');
    return { review, product };
  };

  // One vote per person: the unique index decides, so a double click counts once.
  router.post('/reviews/:id/helpful', requireUser, async (req, res) => {
    const { review, product } = await published(req);
    if (review.user_id === req.user!.id) {
      res.flash('info', 'You cannot vote for your own review.');
      return res.redirect(303, `${product.url}#review-${review.id}`);
    }
    try {
      await ctx.sequelize.transaction(async () => {
        await ReviewVote.create({ review_id: review.id, user_id: req.user!.id });
        await Review.increment({ helpful_count: 1 }, { where: { id: review.id } });
      });
      res.flash('success', 'Thank you for your vote.');
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
      res.flash('info', 'You already found this review helpful.');
    }
    res.redirect(303, `${product.url}#review-${review.id}`);
  });

  const reportPage = async (res: Response, review: Review, product: { title: string; url: string }, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) =>
    res.renderPage('reviews/report', { title: 'Report a review', review, product, values, errors, reasons: Object.entries(REPORT_REASONS).map(([value, label]) => ({ value, label })) }, status);

  router.get('/reviews/:id/report', requireUser, async (req, res) => {
    const { review, product } = await published(req);
    await reportPage(res, review, product, { reason: '', note: '' });
  });

  router.post('/reviews/:id/report', requireUser, reportLimit, async (req, res) => {
    const { review, product } = await published(req);
    const parsed = parseForm(reportSchema, req.body);
    if (!parsed.ok) return reportPage(res, review, product, req.body ?? {}, parsed.errors, 422);
    try {
      await ctx.sequelize.transaction(async () => {
        await ReviewReport.create({ review_id: review.id, user_id: req.user!.id, reason: parsed.data.reason, note: parsed.data.note });
        await Review.increment({ report_count: 1 }, { where: { id: review.id } });
      });
      res.flash('success', 'Thank you: a moderator will look at this review.');
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
      res.flash('info', 'You already reported this review; a moderator will look at it.');
    }
    res.redirect(303, `${product.url}#review-${review.id}`);
  });

  // The seller's one public answer. Any member of the review's shop may write or change it; it is moderated.
  const replyTarget = async (req: Request) => {
    const found = await published(req);
    const members = await shops().shopMembers(found.review.shop_id);
    if (!members.some((m) => m.userId === req.user!.id)) throw forbidden();
    const reply = await ReviewReply.findOne({ where: { review_id: found.review.id } });
    return { ...found, reply };
  };
  const replyPage = async (res: Response, found: Awaited<ReturnType<typeof replyTarget>>, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) =>
    res.renderPage('reviews/reply', { title: 'Reply to a review', ...found, values, errors }, status);

  router.get('/reviews/:id/reply', requireUser, async (req, res) => {
    const found = await replyTarget(req);
    await replyPage(res, found, { body: found.reply?.body ?? '' });
  });

  router.post('/reviews/:id/reply', requireUser, replyLimit, async (req, res) => {
    const found = await replyTarget(req);
    const parsed = parseForm(replySchema, req.body);
    if (!parsed.ok) return replyPage(res, found, req.body ?? {}, parsed.errors, 422);
    const held = heldReason(parsed.data.body, settings().heldWords);
    try {
      await ctx.sequelize.transaction(async () => {
        const [row, created] = await ReviewReply.findOrCreate({
          where: { review_id: found.review.id },
          defaults: { review_id: found.review.id, shop_id: found.review.shop_id, user_id: req.user!.id, body: parsed.data.body },
        });
        if (!created) await row.update({ body: parsed.data.body, user_id: req.user!.id, status: 'pending', reject_reason: null, moderated_at: null });
      });
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
    }
    res.flash('success', held ? `Your reply is awaiting moderation. ${held}` : 'Your reply is awaiting moderation; it shows under the review once approved.');
    res.redirect(303, `${found.product.url}#review-${found.review.id}`);
  });
}

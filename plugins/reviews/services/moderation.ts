import { Op } from 'sequelize';
import { User, afterCommit, type PluginContext } from '@agora/core';
import type {} from '../../shops/service';
import { Review, ReviewReply, ReviewReport } from '../models';
import type { ReviewStatus } from '../models/review';
import { countRating } from './ratings';
import { eventOf } from './events';
import { syncProductRating } from './product-sync';

export type ModerationAction = 'approve' | 'reject' | 'spam';
export type ModerationOutcome = 'done' | 'unchanged' | 'missing';

const TARGET: Record<ModerationAction, ReviewStatus> = { approve: 'approved', reject: 'rejected', spam: 'spam' };

/**
 * Approves, rejects or marks a review as spam. The change is claimed with a conditional update on the status
 * read (two moderators, or a double click, change it once), and the product's rating is counted in the same
 * transaction. Hooks and the author's email follow the commit. Joins the caller's transaction when there is one
 * (auto-approval at submission).
 */
export async function moderateReview(ctx: PluginContext, reviewId: number, action: ModerationAction, by: { moderatorId: number | null; reason?: string }): Promise<ModerationOutcome> {
  return ctx.sequelize.transaction(async (tx) => {
    const review = await Review.findByPk(reviewId);
    if (!review) return 'missing';
    const from = review.status;
    const to = TARGET[action];
    if (from === to) return 'unchanged';
    const now = new Date();
    const reason = to === 'approved' ? null : (by.reason?.trim() || (to === 'spam' ? 'Marked as spam.' : 'It does not follow the review guidelines.'));
    const [claimed] = await Review.update(
      { status: to, moderated_by: by.moderatorId, moderated_at: now, approved_at: to === 'approved' ? now : review.approved_at, reject_reason: reason, report_count: 0 },
      { where: { id: review.id, status: from } },
    );
    if (claimed !== 1) return 'unchanged';
    if (from === 'approved') await countRating(review.product_id, review.shop_id, review.rating, -1);
    if (to === 'approved') await countRating(review.product_id, review.shop_id, review.rating, 1);
    if (from === 'approved' || to === 'approved') await syncProductRating(ctx, review.product_id);
    // Open reports are settled by the decision: kept → dismissed, taken down → upheld.
    await ReviewReport.update({ status: to === 'approved' ? 'dismissed' : 'upheld' }, { where: { review_id: review.id, status: 'open' } });
    await review.reload();
    const event = eventOf(review);
    afterCommit(tx, async () => {
      if (to === 'approved') await ctx.hooks.do('reviews.review.approved', event);
      else await ctx.hooks.do('reviews.review.rejected', event, reason ?? '');
      if (to !== 'spam') await mailAuthor(ctx, review, to === 'approved' ? 'approved' : 'rejected');
    });
    return 'done';
  });
}

/** A moderator keeps a reported review: its open reports are dismissed and it leaves the queue. */
export async function dismissReports(ctx: PluginContext, reviewId: number): Promise<number> {
  return ctx.sequelize.transaction(async () => {
    const [n] = await ReviewReport.update({ status: 'dismissed' }, { where: { review_id: reviewId, status: 'open' } });
    await Review.update({ report_count: 0 }, { where: { id: reviewId } });
    return n;
  });
}


/** Approves or rejects a seller's reply, claimed like a review; its writer is emailed. */
export async function moderateReply(ctx: PluginContext, replyId: number, action: 'approve' | 'reject', by: { reason?: string }): Promise<ModerationOutcome> {
  return ctx.sequelize.transaction(async (tx) => {
    const reply = await ReviewReply.findByPk(replyId);
    if (!reply) return 'missing';
    const to = action === 'approve' ? 'approved' : 'rejected';
    if (reply.status === to) return 'unchanged';
    const reason = to === 'approved' ? null : by.reason?.trim() || 'It does not follow the review guidelines.';
    const [claimed] = await ReviewReply.update({ status: to, moderated_at: new Date(), reject_reason: reason }, { where: { id: reply.id, status: reply.status } });
    if (claimed !== 1) return 'unchanged';
    afterCommit(tx, async () => {
      const writer = reply.user_id === null ? null : await User.findByPk(reply.user_id);
      const review = await Review.findByPk(reply.review_id);
      const product = review ? await ctx.service('shops').productCard(review.product_id) : undefined;
      if (!writer || !product) return;
      await ctx.mail.send({
        to: writer.email,
        userId: writer.id,
        subject: to === 'approved' ? `Your reply about ${product.title} is published` : `Your reply about ${product.title} was not published`,
        template: 'reviews/mail/reply-moderated',
        data: { name: writer.display_name, product, approved: to === 'approved', reason, link: `${ctx.config.baseUrl}${product.url}#reviews` },
      });
    });
    return 'done';
  });
}

async function mailAuthor(ctx: PluginContext, review: Review, outcome: 'approved' | 'rejected'): Promise<void> {
  if (review.user_id === null) return;
  const author = await User.findByPk(review.user_id);
  const product = await ctx.service('shops').productCard(review.product_id);
  if (!author || !product) return;
  await ctx.mail.send({
    to: author.email,
    userId: author.id,
    subject: outcome === 'approved' ? `Your review of ${product.title} is published` : `Your review of ${product.title} was not published`,
    template: outcome === 'approved' ? 'reviews/mail/approved' : 'reviews/mail/rejected',
    data: {
      name: author.display_name,
      product,
      review: { title: review.title, rating: review.rating },
      reason: review.reject_reason ?? '',
      link: `${ctx.config.baseUrl}${product.url}#reviews`,
      editLink: `${ctx.config.baseUrl}/reviews/${review.id}/edit`,
    },
  });
}

/** How many of the person's reviews are published (auto-approval of trusted buyers). */
export function approvedCountOf(userId: number): Promise<number> {
  return Review.count({ where: { user_id: userId, status: 'approved' } });
}

/** Reviews waiting for a decision: pending ones, and approved ones with open reports. */
export function queueWhere() {
  return { [Op.or]: [{ status: 'pending' }, { status: 'approved', report_count: { [Op.gt]: 0 } }] };
}

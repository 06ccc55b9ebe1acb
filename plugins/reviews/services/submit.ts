import type { Request } from 'express';
import { afterCommit, type PluginContext, type SectionValues } from '@agora/core';
import { Review, ReviewPhoto } from '../models';
import type { ReviewForm } from '../forms/review-form';
import type { ReviewsSettings } from '../settings';
import type { SavedPhoto } from './photos';
import { heldReason } from './held';
import { approvedCountOf, moderateReview } from './moderation';
import { countRating } from './ratings';
import { syncProductRating } from './product-sync';
import { eventOf } from './events';

export class AlreadyReviewed extends Error {}

interface Target {
  productId: number;
  productTitle: string;
  shopId: number;
  orderId: number;
  orderItemId: number;
}

/**
 * Writes a new review (pending unless the settings publish it at once) with its photos and the other
 * plugins' fields of the form section, in one transaction. The unique order line makes a double submit
 * one review: the second gets AlreadyReviewed.
 */
export async function submitReview(
  ctx: PluginContext,
  req: Request,
  target: Target,
  form: ReviewForm,
  photos: SavedPhoto[],
  sections: SectionValues,
  settings: ReviewsSettings,
): Promise<Review> {
  const user = req.user!;
  const held = heldReason(`${form.title}\n${form.body}`, settings.heldWords);
  let autoApproved = false;
  const review = await ctx.sequelize.transaction(async (tx) => {
    const [created, isNew] = await Review.findOrCreate({
      where: { order_item_id: target.orderItemId },
      defaults: {
        product_id: target.productId,
        shop_id: target.shopId,
        order_id: target.orderId,
        order_item_id: target.orderItemId,
        user_id: user.id,
        rating: form.rating,
        title: form.title,
        body: form.body,
        verified: true,
        held_reason: held,
        photo_count: photos.length,
      },
    });
    if (!isNew) throw new AlreadyReviewed();
    for (const [i, p] of photos.entries()) await ReviewPhoto.create({ review_id: created.id, file_id: p.fileId, thumb_file_id: p.thumbFileId, position: i });
    await ctx.forms.commit('reviews.review', tx, sections, req, { reviewId: created.id, productId: target.productId, edited: false });
    if (held === null && settings.moderation === 'trusted' && (await approvedCountOf(user.id)) >= settings.trustedAfter) {
      autoApproved = (await moderateReview(ctx, created.id, 'approve', { moderatorId: null })) === 'done';
    }
    const submitted = eventOf(created, { status: 'pending' });
    afterCommit(tx, () => ctx.hooks.do('reviews.review.submitted', submitted));
    return created;
  });
  if (autoApproved) await review.reload();
  return review;
}

/**
 * The author changes their review: it goes back to the queue (and, if it was published, leaves the
 * product's rating until it is approved again). Claimed on the status read, like a moderation.
 */
export async function editReview(
  ctx: PluginContext,
  req: Request,
  review: Review,
  form: ReviewForm,
  photos: SavedPhoto[],
  sections: SectionValues,
  settings: ReviewsSettings,
): Promise<'done' | 'changed'> {
  const held = heldReason(`${form.title}\n${form.body}`, settings.heldWords);
  const removed: ReviewPhoto[] = [];
  const outcome = await ctx.sequelize.transaction(async (tx) => {
    const from = review.status;
    const existing = await ReviewPhoto.findAll({ where: { review_id: review.id }, order: [['position', 'ASC'], ['id', 'ASC']] });
    const dropped = existing.filter((p) => form.remove_photo.includes(p.id));
    const kept = existing.filter((p) => !form.remove_photo.includes(p.id));
    const [claimed] = await Review.update(
      {
        rating: form.rating,
        title: form.title,
        body: form.body,
        status: 'pending',
        held_reason: held,
        reject_reason: null,
        approved_at: null,
        moderated_at: null,
        moderated_by: null,
        photo_count: kept.length + photos.length,
      },
      { where: { id: review.id, status: from } },
    );
    if (claimed !== 1) return 'changed' as const;
    if (from === 'approved') {
      await countRating(review.product_id, review.shop_id, review.rating, -1);
      await syncProductRating(ctx, review.product_id);
    }
    for (const p of dropped) await p.destroy();
    removed.push(...dropped);
    for (const [i, p] of photos.entries()) await ReviewPhoto.create({ review_id: review.id, file_id: p.fileId, thumb_file_id: p.thumbFileId, position: kept.length + i });
    await ctx.forms.commit('reviews.review', tx, sections, req, { reviewId: review.id, productId: review.product_id, edited: true });
    const event = { ...eventOf(review), rating: form.rating, status: 'pending' as const, edited: true };
    afterCommit(tx, async () => {
      for (const p of removed) {
        await ctx.files.private.remove(p.file_id);
        await ctx.files.private.remove(p.thumb_file_id);
      }
      await ctx.hooks.do('reviews.review.submitted', event);
    });
    return 'done' as const;
  });
  return outcome;
}

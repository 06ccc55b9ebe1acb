import type { Request } from 'express';
import { notFound, type PluginContext } from '@agora/core';
import { Review, ReviewPhoto } from '../models';

/**
 * A review's photos are private files: anyone may see those of a published review; before that, only its
 * author and moderators. Anything else is the 404 a stranger gets, so ids cannot be probed.
 */
export function photoRoutes(ctx: PluginContext): void {
  const visible = async (req: Request): Promise<ReviewPhoto> => {
    const id = Number(req.params.id);
    const photo = Number.isSafeInteger(id) && id > 0 ? await ReviewPhoto.findByPk(id) : null;
    const review = photo ? await Review.findByPk(photo.review_id) : null;
    if (!photo || !review) throw notFound('photo');
    if (review.status === 'approved') return photo;
    if (req.user && (review.user_id === req.user.id || (await ctx.capabilities.can(req.user, 'reviews.moderate')))) return photo;
    throw notFound('photo');
  };
  ctx.router.get('/reviews/photos/:id', async (req, res) => {
    const photo = await visible(req);
    await ctx.files.private.send(res, photo.file_id, { inline: true });
  });
  ctx.router.get('/reviews/photos/:id/thumb', async (req, res) => {
    const photo = await visible(req);
    await ctx.files.private.send(res, photo.thumb_file_id, { inline: true });
  });
}

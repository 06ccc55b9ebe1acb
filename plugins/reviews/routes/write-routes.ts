import type { Request, Response } from 'express';
import { ImageRejected, forbidden, notFound, requireUser, type FieldErrors, type PluginContext } from '@agora/core';
import type {} from '../../shops/service';
import type { ProductCard } from '../../shops/service';
import { Review, ReviewPhoto } from '../models';
import { REVIEW_FIELDS, reviewSchema } from '../forms/review-form';
import { reviewableItems } from '../services/eligibility';
import { discardPhotos, savePhotos, type SavedPhoto } from '../services/photos';
import { AlreadyReviewed, editReview, submitReview } from '../services/submit';
import type { ReviewsSettings } from '../settings';

const positiveInt = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/** Fields of the review form the page did not send (neither the form's nor an active extension's). */
function tampered(ctx: PluginContext, body: Record<string, unknown>, extra: string[]): FieldErrors | undefined {
  const unknown = Object.keys(body).filter((k) => !REVIEW_FIELDS.has(k) && !extra.includes(k) && !ctx.forms.accepts('reviews.review', k));
  return unknown.length ? { form: `This form has no field ${unknown.map((k) => `"${k.slice(0, 40)}"`).join(', ')}.` } : undefined;
}

interface FormPage {
  product: ProductCard;
  /** The review being edited, or the order line being reviewed. */
  review?: Review;
  item?: { orderItemId: number; orderNumber: string };
  values: Record<string, unknown>;
  errors?: FieldErrors;
  photos?: ReviewPhoto[];
  status?: number;
}

/** Writing a review (`/reviews/new?product=<id>`) and editing one's own (`/reviews/:id/edit`): one form, multipart for photos. */
export function writeRoutes(ctx: PluginContext, settings: () => ReviewsSettings): void {
  const { router } = ctx;
  const shops = () => ctx.service('shops');
  const limit = ctx.http.rateLimit('write', { windowMs: 15 * 60_000, limit: 20 });
  const upload = () => ctx.files.upload([{ name: 'photos', maxCount: 3 }]);

  const show = async (req: Request, res: Response, page: FormPage) => {
    const viewer = req.user!;
    const formSections = await ctx.forms.render('reviews.review', {
      req,
      context: { product: { id: page.product.id, title: page.product.title }, viewer },
      body: req.method === 'POST' ? req.body : undefined,
      errors: page.errors,
    });
    const s = settings();
    const room = s.maxPhotos - (page.photos?.length ?? 0);
    await res.renderPage(
      'reviews/form',
      { title: page.review ? 'Edit your review' : `Review ${page.product.title}`, ...page, errors: page.errors ?? {}, photos: page.photos ?? [], room: Math.max(0, room), minBodyLength: s.minBodyLength, formSections },
      page.status ?? 200,
    );
  };

  const refusedPage = (res: Response, product: ProductCard, message: string, status: number) =>
    res.renderPage('reviews/refused', { title: `Review ${product.title}`, product, message }, status);

  router.get('/reviews/new', requireUser, async (req, res) => {
    const productId = positiveInt(req.query.product);
    const product = productId === undefined ? undefined : await shops().productCard(productId);
    if (!product) throw notFound('product');
    const can = await reviewableItems(ctx, req.user!, { id: product.id, shopId: product.shop.id });
    if (!can.ok) return refusedPage(res, product, can.message, 403);
    const wanted = positiveInt(req.query.item);
    const item = can.items.find((i) => i.orderItemId === wanted) ?? can.items[can.items.length - 1];
    await show(req, res, { product, item, values: { rating: '', title: '', body: '', item: String(item.orderItemId) } });
  });

  router.post('/reviews', requireUser, limit, upload(), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const productId = positiveInt(body.product);
    const product = productId === undefined ? undefined : await shops().productCard(productId);
    if (!product) throw notFound('product');
    const can = await reviewableItems(ctx, req.user!, { id: product.id, shopId: product.shop.id });
    if (!can.ok) return refusedPage(res, product, can.message, can.reason === 'all_reviewed' ? 409 : 403);
    const item = can.items.find((i) => i.orderItemId === positiveInt(body.item));
    const values = { ...body };
    if (!item) return show(req, res, { product, item: can.items[0], values, errors: { form: 'Choose which order this review is about.' }, status: 422 });
    const page: FormPage = { product, item, values, status: 422 };
    if (req.uploadProblem) return show(req, res, { ...page, errors: { photos: req.uploadProblem.message } });
    const wrong = tampered(ctx, body, ['product']);
    if (wrong) return show(req, res, { ...page, errors: wrong });
    const s = settings();
    const parsed = await ctx.forms.parse('reviews.review', reviewSchema(s.minBodyLength), body, { req, context: { product: { id: product.id, title: product.title }, viewer: req.user! } });
    if (!parsed.ok) return show(req, res, { ...page, errors: parsed.errors });
    let photos: SavedPhoto[];
    try {
      photos = await savePhotos(ctx, req, s.maxPhotos);
    } catch (error) {
      if (error instanceof ImageRejected) return show(req, res, { ...page, errors: { photos: error.message } });
      throw error;
    }
    try {
      const review = await submitReview(ctx, req, { productId: product.id, productTitle: product.title, shopId: product.shop.id, orderId: item.orderId, orderItemId: item.orderItemId }, parsed.data, photos, parsed.sections, s);
      res.flash('success', review.status === 'approved' ? 'Thank you: your review is published.' : 'Thank you: your review is awaiting moderation. We email you when it is published.');
      res.redirect(303, `${product.url}#reviews`);
    } catch (error) {
      await discardPhotos(ctx, photos);
      if (error instanceof AlreadyReviewed) {
        res.flash('info', 'You have already reviewed this order; here it is.');
        return res.redirect(303, `${product.url}#reviews`);
      }
      const refused = ctx.forms.refusal(error);
      if (refused) return show(req, res, { ...page, errors: refused });
      throw error;
    }
  });

  const ownReview = async (req: Request) => {
    const id = positiveInt(req.params.id);
    const review = id === undefined ? null : await Review.findByPk(id);
    if (!review) throw notFound('review');
    if (review.user_id !== req.user!.id) throw forbidden();
    const product = await shops().productCard(review.product_id);
    if (!product) throw notFound('product');
    const photos = await ReviewPhoto.findAll({ where: { review_id: review.id }, order: [['position', 'ASC'], ['id', 'ASC']] });
    return { review, product, photos };
  };

  router.get('/reviews/:id/edit', requireUser, async (req, res) => {
    const { review, product, photos } = await ownReview(req);
    await show(req, res, { product, review, photos, values: { rating: String(review.rating), title: review.title, body: review.body } });
  });

  router.post('/reviews/:id', requireUser, limit, upload(), async (req, res) => {
    const { review, product, photos: existing } = await ownReview(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const page: FormPage = { product, review, photos: existing, values: { ...body }, status: 422 };
    if (req.uploadProblem) return show(req, res, { ...page, errors: { photos: req.uploadProblem.message } });
    const wrong = tampered(ctx, body, []);
    if (wrong) return show(req, res, { ...page, errors: wrong });
    const s = settings();
    const parsed = await ctx.forms.parse('reviews.review', reviewSchema(s.minBodyLength), body, { req, context: { product: { id: product.id, title: product.title }, viewer: req.user! } });
    if (!parsed.ok) return show(req, res, { ...page, errors: parsed.errors });
    const keeping = existing.filter((p) => !parsed.data.remove_photo.includes(p.id)).length;
    let photos: SavedPhoto[];
    try {
      photos = await savePhotos(ctx, req, Math.max(0, s.maxPhotos - keeping));
    } catch (error) {
      if (error instanceof ImageRejected) return show(req, res, { ...page, errors: { photos: error.message } });
      throw error;
    }
    try {
      const outcome = await editReview(ctx, req, review, parsed.data, photos, parsed.sections, s);
      if (outcome === 'changed') {
        await discardPhotos(ctx, photos);
        return show(req, res, { ...page, errors: { form: 'This review was changed meanwhile (by a moderator, or in another window). Check it and send your changes again.' }, status: 409 });
      }
      res.flash('success', 'Your changes are saved; the review is awaiting moderation again.');
      res.redirect(303, `${product.url}#reviews`);
    } catch (error) {
      await discardPhotos(ctx, photos);
      const refused = ctx.forms.refusal(error);
      if (refused) return show(req, res, { ...page, errors: refused });
      throw error;
    }
  });
}

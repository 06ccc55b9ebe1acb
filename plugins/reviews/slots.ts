import type { PluginContext } from '@agora/core';
import type {} from '../shops/hooks';
import type {} from '../shops/service';
import { Review } from './models';
import { approvedReviews, ownUnpublished, sortOf, SORTS } from './services/display';
import { reviewableItems } from './services/eligibility';
import { formatAverage, productRating, shopRating } from './services/ratings';
import { productJsonLd } from './services/json-ld';
import type { ReviewsSettings } from './settings';

const pageOf = (v: unknown): number => {
  const n = typeof v === 'string' ? Number(v) : 1;
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 10_000) : 1;
};

/** Where reviews show: the product page (summary, list, JSON-LD), the seller card, the shop page, the buyer's order, the account. */
export function reviewSlots(ctx: PluginContext, settings: () => ReviewsSettings): void {
  ctx.slot('core.head', () => ({ html: '<link rel="stylesheet" href="/plugins/reviews/reviews.css">' }));
  // Both product-page slots show the rating: one read per page (the product object is the page's own).
  const ratings = new WeakMap<object, ReturnType<typeof productRating>>();
  const ratingOnPage = (product: { id: number }) => {
    let rating = ratings.get(product);
    if (!rating) ratings.set(product, (rating = productRating(product.id)));
    return rating;
  };
  ctx.slot('shops.product.after_price', async ({ product }) => {
    const rating = await ratingOnPage(product);
    return { template: 'reviews/partials/summary-inline', data: { rating, average: formatAverage(rating.average) } };
  });

  ctx.slot('shops.product.after_tabs', async ({ product, shop, viewer, query }) => {
    const perPage = settings().perPage;
    const sort = sortOf(query.reviews_sort);
    const page = pageOf(query.reviews_page);
    const rating = await ratingOnPage(product);
    const [list, own] = await Promise.all([
      approvedReviews(product.id, sort, { perPage, offset: (page - 1) * perPage }, viewer?.id, rating.count),
      ownUnpublished(product.id, viewer?.id),
    ]);
    const can = viewer ? await reviewableItems(ctx, viewer, { id: product.id, shopId: shop.id }) : undefined;
    const members = viewer ? await ctx.service('shops').shopMembers(shop.id) : [];
    const pages = Math.max(1, Math.ceil(list.total / perPage));
    const link = (p: number) => {
      const params = new URLSearchParams();
      if (sort !== 'newest') params.set('reviews_sort', sort);
      if (p > 1) params.set('reviews_page', String(p));
      const qs = params.toString();
      return `/products/${encodeURIComponent(product.slug)}${qs ? `?${qs}` : ''}#reviews`;
    };
    return {
      template: 'reviews/product-reviews',
      data: {
        rating,
        average: formatAverage(rating.average),
        reviews: list.reviews,
        total: list.total,
        own,
        sort,
        sorts: Object.entries(SORTS).map(([value, label]) => ({ value, label })),
        reviewsPager: { page, pages, prev: page > 1 ? link(page - 1) : undefined, next: page < pages ? link(page + 1) : undefined },
        canWrite: can?.ok ? `/reviews/new?product=${product.id}` : null,
        cannotWrite: can && !can.ok && can.reason !== 'seller' ? can.message : null,
        isSeller: members.some((m) => m.userId === viewer?.id),
        jsonLd: productJsonLd(ctx.config.baseUrl, product, shop, rating, list.reviews),
      },
    };
  });

  const shopBadge = async (shopId: number) => {
    const rating = await shopRating(shopId);
    return { template: 'reviews/partials/shop-rating', data: { shopRatingCount: rating.count, shopRatingAverage: formatAverage(rating.average), shopRatingValue: rating.average } };
  };
  ctx.slot('shops.product.shop_card', ({ shop }) => shopBadge(shop.id));
  ctx.slot('shops.shop.header_actions', ({ shop }) => shopBadge(shop.id));

  // "Write a review" beside each line of a paid order the buyer has not reviewed yet.
  ctx.slot('shops.account.order', async ({ order, viewer }) => {
    if (!viewer || order.buyer_id !== viewer.id) return undefined;
    const bought = (await ctx.service('shops').paidOrderItems(viewer.id)).filter((i) => i.orderId === order.id);
    if (!bought.length) return undefined;
    const done = await Review.findAll({ where: { order_item_id: bought.map((b) => b.orderItemId) }, attributes: ['id', 'order_item_id', 'status'] });
    const lines = bought.map((b) => ({ title: b.title, href: `/reviews/new?product=${b.productId}&item=${b.orderItemId}`, review: done.find((r) => r.order_item_id === b.orderItemId) }));
    return { template: 'reviews/partials/order-reviews', data: { reviewLines: lines } };
  });

  // The order-completed email asks the buyer (an account holder) to review each line.
  ctx.slot('shops.mail.order_status', async ({ order, status }) => {
    if (status !== 'completed' || order.buyer_id === null) return undefined;
    const items = (await ctx.service('shops').orderItems(order.id)).filter((i) => i.productId !== null);
    if (!items.length) return undefined;
    const base = ctx.config.baseUrl;
    return { template: 'reviews/mail/order-review-links', data: { reviewLinks: items.map((i) => ({ title: i.title, href: `${base}/reviews/new?product=${i.productId}&item=${i.orderItemId}` })) } };
  });

  ctx.slot('core.account.sections', ({ viewer }) => (viewer ? { template: 'reviews/partials/account-link', data: {} } : undefined));
}

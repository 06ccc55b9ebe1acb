import { requireUser, type PluginContext } from '@agora/core';
import type {} from '../../shops/service';
import { Review } from '../models';

/** `/account/reviews`: the person's reviews with their status, and the purchases still waiting for one. */
export function accountRoutes(ctx: PluginContext): void {
  ctx.router.get('/account/reviews', requireUser, async (req, res) => {
    const shops = ctx.service('shops');
    const user = req.user!;
    const [reviews, bought] = await Promise.all([Review.findAll({ where: { user_id: user.id }, order: [['id', 'DESC']], limit: 200 }), shops.paidOrderItems(user.id)]);
    const reviewed = new Set((await Review.findAll({ where: { order_item_id: bought.map((b) => b.orderItemId) }, attributes: ['order_item_id'] })).map((r) => r.order_item_id));
    const cards = new Map<number, Awaited<ReturnType<typeof shops.productCard>>>();
    for (const id of new Set([...reviews.map((r) => r.product_id), ...bought.map((b) => b.productId)])) cards.set(id, await shops.productCard(id));
    const waiting = bought.filter((b) => !reviewed.has(b.orderItemId) && cards.get(b.productId)).slice(0, 50);
    await res.renderPage('reviews/account', {
      title: 'My reviews',
      reviews: reviews.map((review) => ({ review, product: cards.get(review.product_id) })),
      waiting: waiting.map((item) => ({ item, product: cards.get(item.productId)!, href: `/reviews/new?product=${item.productId}&item=${item.orderItemId}` })),
    });
  });
}

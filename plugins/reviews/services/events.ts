import type { Review } from '../models';
import type { ReviewEvent } from '../hooks';

export function eventOf(review: Review, extra: Partial<ReviewEvent> = {}): ReviewEvent {
  return { id: review.id, productId: review.product_id, shopId: review.shop_id, userId: review.user_id, rating: review.rating, status: review.status, ...extra };
}

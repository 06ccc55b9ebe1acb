import { Op, type Order, type WhereOptions } from 'sequelize';
import { Review, ReviewPhoto, ReviewReply, ReviewVote } from '../models';
import { authorNames, initialsOf, nameOf } from './authors';

export const SORTS = { newest: 'Newest', highest: 'Highest rated', lowest: 'Lowest rated', photos: 'With photos', helpful: 'Most helpful' } as const;
export type ReviewSort = keyof typeof SORTS;

export function sortOf(value: unknown): ReviewSort {
  return typeof value === 'string' && value in SORTS ? (value as ReviewSort) : 'newest';
}

/** A review as the product page shows it. */
export interface ShownReview {
  id: number;
  rating: number;
  title: string;
  body: string;
  status: Review['status'];
  rejectReason: string | null;
  author: string;
  initials: string;
  /** The account is still linked (a closed account's review shows "A former customer"). */
  hasAuthor: boolean;
  verified: boolean;
  date: Date;
  helpful: number;
  photos: Array<{ id: number }>;
  reply: { body: string; date: Date } | null;
  mine: boolean;
  voted: boolean;
}

const ORDERS: Record<ReviewSort, Order> = {
  newest: [['approved_at', 'DESC'], ['id', 'DESC']],
  highest: [['rating', 'DESC'], ['approved_at', 'DESC'], ['id', 'DESC']],
  lowest: [['rating', 'ASC'], ['approved_at', 'DESC'], ['id', 'DESC']],
  photos: [['approved_at', 'DESC'], ['id', 'DESC']],
  helpful: [['helpful_count', 'DESC'], ['approved_at', 'DESC'], ['id', 'DESC']],
};

/**
 * One page of a product's approved reviews in the chosen order. `approvedCount`, the product's rating counter
 * (kept in the approval's transaction, services/ratings.ts), spares the count query; with 0 there is nothing to read.
 */
export async function approvedReviews(productId: number, sort: ReviewSort, page: { perPage: number; offset: number }, viewerId: number | undefined, approvedCount?: number) {
  const where: WhereOptions<Review> = { product_id: productId, status: 'approved', ...(sort === 'photos' ? { photo_count: { [Op.gt]: 0 } } : {}) };
  // "With photos" is a subset the counter does not know.
  if (approvedCount !== undefined && sort !== 'photos') {
    if (approvedCount <= 0 || page.offset >= approvedCount) return { reviews: [], total: Math.max(0, approvedCount) };
    const rows = await Review.findAll({ where, order: ORDERS[sort], limit: page.perPage, offset: page.offset });
    return { reviews: await shown(rows, viewerId, true), total: approvedCount };
  }
  const { rows, count } = await Review.findAndCountAll({ where, order: ORDERS[sort], limit: page.perPage, offset: page.offset });
  return { reviews: await shown(rows, viewerId, true), total: count };
}

/** The viewer's own reviews of the product that are not public (awaiting moderation, or not published). */
export async function ownUnpublished(productId: number, viewerId: number | undefined): Promise<ShownReview[]> {
  if (viewerId === undefined) return [];
  const rows = await Review.findAll({ where: { product_id: productId, user_id: viewerId, status: { [Op.ne]: 'approved' } }, order: [['id', 'DESC']] });
  return shown(rows, viewerId, false);
}

/** Names, photos, replies and the viewer's votes for a list of reviews, in a few queries. */
export async function shown(rows: Review[], viewerId: number | undefined, publicOnly: boolean): Promise<ShownReview[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [names, photos, replies, votes] = await Promise.all([
    authorNames(rows.map((r) => r.user_id)),
    ReviewPhoto.findAll({ where: { review_id: ids }, order: [['position', 'ASC'], ['id', 'ASC']] }),
    ReviewReply.findAll({ where: { review_id: ids, ...(publicOnly ? { status: 'approved' } : {}) } }),
    viewerId === undefined ? Promise.resolve([] as ReviewVote[]) : ReviewVote.findAll({ where: { review_id: ids, user_id: viewerId } }),
  ]);
  const voted = new Set(votes.map((v) => v.review_id));
  return rows.map((r) => {
    const author = nameOf(names, r.user_id);
    const reply = replies.find((x) => x.review_id === r.id && x.status === 'approved');
    return {
      id: r.id,
      rating: r.rating,
      title: r.title,
      body: r.body,
      status: r.status,
      rejectReason: r.reject_reason,
      author,
      initials: initialsOf(author),
      hasAuthor: r.user_id !== null,
      verified: r.verified,
      date: r.approved_at ?? r.created_at,
      helpful: r.helpful_count,
      photos: photos.filter((p) => p.review_id === r.id).map((p) => ({ id: p.id })),
      reply: reply ? { body: reply.body, date: reply.moderated_at ?? reply.created_at } : null,
      mine: viewerId !== undefined && r.user_id === viewerId,
      voted: voted.has(r.id),
    };
  });
}

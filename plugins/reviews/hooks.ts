import type {} from '../shops/hooks';
import type { ReviewStatus } from './models/review';

/** What the review hooks tell listeners: plain data, read after the change committed. */
export interface ReviewEvent {
  id: number;
  productId: number;
  shopId: number;
  /** The author's account (null once it was closed or erased). */
  userId: number | null;
  rating: number;
  status: ReviewStatus;
  /** The review was edited (it went back to the queue), rather than new. */
  edited?: boolean;
}

declare module '@agora/core' {
  interface ActionMap {
    /** A review was written or edited and entered the moderation queue (or was approved at once by the settings). */
    'reviews.review.submitted': [review: ReviewEvent];
    /** A review became public (a moderator, or auto-approval); the product's rating already counts it. */
    'reviews.review.approved': [review: ReviewEvent];
    /** A moderator rejected a review (or marked it spam); `reason` is what the author was told. */
    'reviews.review.rejected': [review: ReviewEvent, reason: string];
  }
  interface FormSectionMap {
    /**
     * The review form (`/reviews/new`, `/reviews/:id/edit`): render context the product and the viewer; commit
     * context the review just written (in its transaction).
     */
    'reviews.review': { render: { product: { id: number; title: string }; viewer: Express.User }; commit: { reviewId: number; productId: number; edited: boolean } };
  }
}

export {};

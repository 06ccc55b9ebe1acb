import type { Sequelize } from 'sequelize';
import { Review } from './review';
import { ReviewPhoto } from './review-photo';
import { ReviewReply } from './review-reply';
import { ReviewVote } from './review-vote';
import { ReviewReport } from './review-report';
import { ProductRating } from './product-rating';

export { Review, ReviewPhoto, ReviewReply, ReviewVote, ReviewReport, ProductRating };

export function initReviewModels(sequelize: Sequelize): void {
  Review.initModel(sequelize);
  ReviewPhoto.initModel(sequelize);
  ReviewReply.initModel(sequelize);
  ReviewVote.initModel(sequelize);
  ReviewReport.initModel(sequelize);
  ProductRating.initModel(sequelize);
  Review.hasMany(ReviewPhoto, { foreignKey: 'review_id', as: 'photos' });
  Review.hasOne(ReviewReply, { foreignKey: 'review_id', as: 'reply' });
  Review.hasMany(ReviewReport, { foreignKey: 'review_id', as: 'reports' });
}

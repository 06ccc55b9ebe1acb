import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

export type ReviewStatus = 'pending' | 'approved' | 'rejected' | 'spam';
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['pending', 'approved', 'rejected', 'spam'];

/** A buyer's rating and review of a product, bought in one order line; public only once approved. */
export class Review extends Model<InferAttributes<Review>, InferCreationAttributes<Review>> {
  declare id: CreationOptional<number>;
  declare product_id: number;
  declare shop_id: number;
  declare order_id: number;
  /** One review per order line: the unique key that makes a double submit write one review. */
  declare order_item_id: number;
  /** The author's account; cut (null) when the account is closed or erased, the review staying. */
  declare user_id: number | null;
  declare rating: number;
  declare title: string;
  declare body: string;
  declare status: CreationOptional<ReviewStatus>;
  declare verified: CreationOptional<boolean>;
  /** Why it was held for a moderator although the settings would approve it (a word, a link). */
  declare held_reason: CreationOptional<string | null>;
  declare reject_reason: CreationOptional<string | null>;
  declare moderated_by: CreationOptional<number | null>;
  declare moderated_at: CreationOptional<Date | null>;
  declare approved_at: CreationOptional<Date | null>;
  declare photo_count: CreationOptional<number>;
  declare helpful_count: CreationOptional<number>;
  declare report_count: CreationOptional<number>;
  declare anonymized_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Review {
    return Review.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        product_id: { type: DataTypes.INTEGER, allowNull: false },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        order_id: { type: DataTypes.INTEGER, allowNull: false },
        order_item_id: { type: DataTypes.INTEGER, allowNull: false, unique: true },
        user_id: { type: DataTypes.INTEGER, allowNull: true },
        rating: { type: DataTypes.INTEGER, allowNull: false },
        // Published words, kept when the author is erased (the rule: the review stays, the person goes):
        // the personal link is user_id, which the eraser cuts; unpublished reviews are deleted. Exported all the same.
        title: { type: DataTypes.STRING(120), allowNull: false },
        body: { type: DataTypes.TEXT, allowNull: false },
        status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'pending' },
        verified: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        held_reason: { type: DataTypes.STRING(200), allowNull: true },
        reject_reason: { type: DataTypes.STRING(500), allowNull: true },
        moderated_by: { type: DataTypes.INTEGER, allowNull: true },
        moderated_at: { type: DataTypes.DATE, allowNull: true },
        approved_at: { type: DataTypes.DATE, allowNull: true },
        photo_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        helpful_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        report_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        anonymized_at: { type: DataTypes.DATE, allowNull: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'reviews_reviews',
        modelName: 'Review',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: 'updated_at',
        indexes: [
          { name: 'reviews_product_status', fields: ['product_id', 'status', 'approved_at'] },
          { name: 'reviews_status_created', fields: ['status', 'created_at'] },
          { name: 'reviews_user', fields: ['user_id'] },
          { name: 'reviews_shop_status', fields: ['shop_id', 'status'] },
        ],
      },
    );
  }
}

import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

export const REPORT_REASONS = { spam: 'Spam or advertising', offensive: 'Offensive or abusive', off_topic: 'Not about the product', fake: 'Not a genuine review', private: 'Shares private information', other: 'Something else' } as const;
export type ReportReason = keyof typeof REPORT_REASONS;
export type ReportStatus = 'open' | 'dismissed' | 'upheld';

/** A logged-in person's report of an approved review; open reports put the review in the moderation queue. */
export class ReviewReport extends Model<InferAttributes<ReviewReport>, InferCreationAttributes<ReviewReport>> {
  declare id: CreationOptional<number>;
  declare review_id: number;
  declare user_id: number | null;
  declare reason: ReportReason;
  declare note: CreationOptional<string>;
  declare status: CreationOptional<ReportStatus>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ReviewReport {
    return ReviewReport.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        review_id: { type: DataTypes.INTEGER, allowNull: false },
        user_id: { type: DataTypes.INTEGER, allowNull: true },
        reason: { type: DataTypes.STRING(20), allowNull: false },
        note: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '', personal: true },
        status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'open' },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'reviews_reports',
        modelName: 'ReviewReport',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
        indexes: [
          { name: 'reviews_reports_once', unique: true, fields: ['review_id', 'user_id'] },
          { name: 'reviews_reports_status', fields: ['status', 'review_id'] },
          { name: 'reviews_reports_user', fields: ['user_id'] },
        ],
      },
    );
  }
}

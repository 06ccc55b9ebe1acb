import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type CampaignStatus = 'draft' | 'sending' | 'sent';

/** A newsletter issue: written as a draft, then sent once, in batches, to the confirmed subscribers of that moment. */
export class NewsletterCampaign extends Model<InferAttributes<NewsletterCampaign>, InferCreationAttributes<NewsletterCampaign>> {
  declare id: CreationOptional<number>;
  declare subject: string;
  declare body: string;
  declare status: CampaignStatus;
  declare created_by: number | null;
  /** Recipients listed when sending started, and how many were mailed or skipped (unsubscribed since). */
  declare total: CreationOptional<number>;
  declare sent_count: CreationOptional<number>;
  declare skipped_count: CreationOptional<number>;
  /** Batches begun: each batch job claims the next number, so a duplicate job sends nothing. */
  declare batches: CreationOptional<number>;
  declare started_at: Date | null;
  declare finished_at: Date | null;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof NewsletterCampaign {
    return NewsletterCampaign.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        subject: { type: DataTypes.STRING(200), allowNull: false },
        body: { type: DataTypes.TEXT, allowNull: false },
        status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'draft' },
        created_by: { type: DataTypes.INTEGER, allowNull: true },
        total: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        sent_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        skipped_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        batches: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        started_at: { type: DataTypes.DATE, allowNull: true },
        finished_at: { type: DataTypes.DATE, allowNull: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'newsletter_campaigns', modelName: 'NewsletterCampaign', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type DeliveryStatus = 'pending' | 'sent' | 'skipped';

/**
 * One recipient of one campaign (unique pair). A batch claims a row with a conditional update
 * `pending → sent` in the same transaction as the mail it writes, so a recipient is mailed exactly once
 * however often a batch is run again.
 */
export class NewsletterDelivery extends Model<InferAttributes<NewsletterDelivery>, InferCreationAttributes<NewsletterDelivery>> {
  declare id: CreationOptional<number>;
  declare campaign_id: number;
  declare subscriber_id: number;
  declare status: DeliveryStatus;
  declare outbox_id: number | null;
  declare sent_at: Date | null;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof NewsletterDelivery {
    return NewsletterDelivery.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        campaign_id: { type: DataTypes.INTEGER, allowNull: false },
        subscriber_id: { type: DataTypes.INTEGER, allowNull: false },
        status: { type: DataTypes.STRING(20), allowNull: false },
        outbox_id: { type: DataTypes.INTEGER, allowNull: true },
        sent_at: { type: DataTypes.DATE, allowNull: true },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'newsletter_deliveries',
        modelName: 'NewsletterDelivery',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
        indexes: [{ unique: true, fields: ['campaign_id', 'subscriber_id'] }, { fields: ['campaign_id', 'status'] }, { fields: ['subscriber_id'] }],
      },
    );
  }
}

import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * Addresses that must never get marketing mail again, kept only as a one-way hash (`addressHash`): the
 * list can answer "is this address suppressed?" without holding the address.
 */
export class NewsletterSuppression extends Model<InferAttributes<NewsletterSuppression>, InferCreationAttributes<NewsletterSuppression>> {
  declare id: CreationOptional<number>;
  declare address_hash: string;
  declare reason: 'unsubscribed' | 'erased';
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof NewsletterSuppression {
    return NewsletterSuppression.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        address_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        reason: { type: DataTypes.STRING(20), allowNull: false },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'newsletter_suppressions', modelName: 'NewsletterSuppression', underscored: true, createdAt: 'created_at', updatedAt: false },
    );
  }
}

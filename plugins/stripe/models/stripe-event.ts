import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * Every Stripe event received, unique by its id: written first in the transaction that applies it, so a
 * replayed or concurrent duplicate finds it and changes nothing. It names our payment or account row,
 * never Stripe's ids of a person.
 */
export class StripeEvent extends Model<InferAttributes<StripeEvent>, InferCreationAttributes<StripeEvent>> {
  declare id: CreationOptional<number>;
  declare event_id: string;
  declare type: string;
  declare payment_id: number | null;
  declare account_row_id: number | null;
  /** What it changed, or why nothing ("not a session Agora made"). */
  declare result: string;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof StripeEvent {
    return StripeEvent.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        event_id: { type: DataTypes.STRING(255), allowNull: false, unique: true },
        type: { type: DataTypes.STRING(100), allowNull: false },
        payment_id: { type: DataTypes.INTEGER, allowNull: true },
        account_row_id: { type: DataTypes.INTEGER, allowNull: true },
        result: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'stripe_events', modelName: 'StripeEvent', underscored: true, createdAt: 'created_at', updatedAt: false, indexes: [{ fields: ['payment_id'] }] },
    );
  }
}

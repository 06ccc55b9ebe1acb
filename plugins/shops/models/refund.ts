import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * A refund is a record with a progress of its own, apart from the order's status:
 * requested (the intent, written in a transaction) → processing (claimed by the one request that calls the
 * provider) → succeeded | failed | pending (the provider settles it later by webhook).
 */
export const REFUND_STATUSES = ['requested', 'processing', 'pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export class Refund extends Model<InferAttributes<Refund>, InferCreationAttributes<Refund>> {
  declare id: CreationOptional<number>;
  declare order_id: number;
  /** The order's shop and currency, copied by the database when the refund is written (migration 0024), for the sales report. */
  declare shop_id: CreationOptional<number | null>;
  declare currency: CreationOptional<string | null>;
  declare amount: number;
  /** The same key twice means the same refund: a retried request never refunds twice. */
  declare idempotency_key: string;
  declare provider_ref: CreationOptional<string | null>;
  declare reason: CreationOptional<string>;
  declare status: CreationOptional<RefundStatus>;
  /** What the provider said when it refused, or why the call failed. */
  declare failure: CreationOptional<string | null>;
  declare actor_id: CreationOptional<number | null>;
  declare settled_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Refund {
    return Refund.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        order_id: { type: DataTypes.INTEGER, allowNull: false },
        shop_id: { type: DataTypes.INTEGER, allowNull: true },
        currency: { type: DataTypes.STRING(3), allowNull: true },
        amount: { type: DataTypes.INTEGER, allowNull: false },
        idempotency_key: { type: DataTypes.STRING(100), allowNull: false, unique: true },
        provider_ref: { type: DataTypes.STRING(200), allowNull: true },
        reason: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
        status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'succeeded' },
        failure: { type: DataTypes.STRING(500), allowNull: true },
        actor_id: { type: DataTypes.INTEGER, allowNull: true },
        settled_at: { type: DataTypes.DATE, allowNull: true },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'refunds', modelName: 'Refund', underscored: true, createdAt: 'created_at', updatedAt: false },
    );
  }
}

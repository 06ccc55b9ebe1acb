import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * pending: a job will send it; sending: a job claimed it; paid: Stripe made the transfer; manual: the shop
 * has no enabled Stripe account, so the seller is paid by hand; skipped: nothing left to send (refunded).
 */
export type TransferStatus = 'pending' | 'sending' | 'paid' | 'manual' | 'skipped';

/** The seller's share of one paid order, on its way to the shop's connected account (one per order). */
export class StripeTransfer extends Model<InferAttributes<StripeTransfer>, InferCreationAttributes<StripeTransfer>> {
  declare id: CreationOptional<number>;
  declare order_id: number;
  declare shop_id: number;
  declare payment_id: number;
  declare account_row_id: number | null;
  declare status: TransferStatus;
  declare amount: CreationOptional<number>;
  declare currency: string;
  declare transfer_id: CreationOptional<string | null>;
  declare reversed: CreationOptional<number>;
  declare attempts: CreationOptional<number>;
  declare claimed_at: CreationOptional<Date | null>;
  declare failure: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof StripeTransfer {
    return StripeTransfer.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        order_id: { type: DataTypes.INTEGER, allowNull: false, unique: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        payment_id: { type: DataTypes.INTEGER, allowNull: false },
        account_row_id: { type: DataTypes.INTEGER, allowNull: true },
        status: { type: DataTypes.STRING(20), allowNull: false },
        amount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        transfer_id: { type: DataTypes.STRING(255), allowNull: true },
        reversed: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        claimed_at: { type: DataTypes.DATE, allowNull: true },
        failure: { type: DataTypes.STRING(500), allowNull: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'stripe_transfers', modelName: 'StripeTransfer', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at', indexes: [{ fields: ['shop_id'] }] },
    );
  }
}

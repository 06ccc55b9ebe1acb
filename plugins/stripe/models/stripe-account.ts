import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type {} from '@agora/core';

/** A shop's Stripe Connect (Express) account; it takes payouts once Stripe enables charges and payouts. */
export class StripeAccount extends Model<InferAttributes<StripeAccount>, InferCreationAttributes<StripeAccount>> {
  declare id: CreationOptional<number>;
  declare shop_id: number;
  declare account_id: string;
  /** Who connected it: the shop's owner at the time. */
  declare user_id: number | null;
  declare charges_enabled: CreationOptional<boolean>;
  declare payouts_enabled: CreationOptional<boolean>;
  declare details_submitted: CreationOptional<boolean>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof StripeAccount {
    return StripeAccount.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: false, unique: true },
        account_id: { type: DataTypes.STRING(255), allowNull: false, unique: true, personal: true },
        user_id: { type: DataTypes.INTEGER, allowNull: true },
        charges_enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        payouts_enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        details_submitted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'stripe_accounts', modelName: 'StripeAccount', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

/** Stripe may send this account money only once it says both. */
export function accountEnabled(account: Pick<StripeAccount, 'charges_enabled' | 'payouts_enabled'> | null | undefined): boolean {
  return !!account && account.charges_enabled && account.payouts_enabled;
}

import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
// The `personal: true` column option is core's Sequelize augmentation, brought in with its public API.
import type {} from '@agora/core';

/** `needs_review`: the provider reported an amount or currency that differs from the checkout (or paid a group no longer pending); an admin decides. */
export type GroupStatus = 'pending' | 'paid' | 'failed' | 'expired' | 'cancelled' | 'needs_review';

/** One checkout: the orders of every shop in the cart, paid by one payment. */
export class CheckoutGroup extends Model<InferAttributes<CheckoutGroup>, InferCreationAttributes<CheckoutGroup>> {
  declare id: CreationOptional<number>;
  /** Public reference shown to the buyer and sent to the payment provider. */
  declare reference: string;
  declare buyer_id: number | null;
  declare email: string;
  declare currency: string;
  declare total: number;
  declare gateway: string;
  declare payment_ref: CreationOptional<string | null>;
  declare status: GroupStatus;
  /** The payment attempt, from 1; the idempotency key sent to the provider is derived from it and the group. */
  declare attempt: CreationOptional<number>;
  /** Why the group is in review, for the admin and the seller. */
  declare review_reason: CreationOptional<string | null>;
  /** The cart (and its version) or guest cart token this checkout consumed; unique, so a cart is checked out once. */
  declare cart_claim: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof CheckoutGroup {
    return CheckoutGroup.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        reference: { type: DataTypes.STRING(40), allowNull: false, unique: true },
        buyer_id: { type: DataTypes.INTEGER, allowNull: true },
        email: { type: DataTypes.STRING(320), allowNull: false, personal: true },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        total: { type: DataTypes.INTEGER, allowNull: false },
        gateway: { type: DataTypes.STRING(40), allowNull: false },
        payment_ref: { type: DataTypes.STRING(200), allowNull: true },
        status: { type: DataTypes.STRING(20), allowNull: false },
        attempt: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        review_reason: { type: DataTypes.STRING(500), allowNull: true },
        cart_claim: { type: DataTypes.STRING(100), allowNull: true, unique: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'checkout_groups', modelName: 'CheckoutGroup', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

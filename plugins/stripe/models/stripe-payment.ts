import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type {} from '@agora/core';

export type StripePaymentStatus = 'creating' | 'open' | 'paid' | 'failed' | 'expired' | 'cancelled' | 'needs_review';

/** One order of the group as it was when the session was made: what the ledger and the transfers split. */
export interface PaymentOrderShare {
  orderId: number;
  number: string;
  shopId: number;
  total: number;
  platformFee: number;
  /** A platform coupon's part of the order: paid by the platform, so added to the seller's share (absent before issue 17). */
  platformDiscount?: number;
}

/** One attempt to pay a checkout group: one Stripe Checkout Session, and what Stripe later said of it. */
export class StripePayment extends Model<InferAttributes<StripePayment>, InferCreationAttributes<StripePayment>> {
  declare id: CreationOptional<number>;
  declare group_id: number;
  declare reference: string;
  declare attempt: number;
  /** Ours (group and attempt): the same attempt asked twice is one session at Stripe. */
  declare idempotency_key: string;
  declare email: string;
  declare amount: number;
  declare currency: string;
  declare orders_json: PaymentOrderShare[];
  declare status: StripePaymentStatus;
  declare session_id: CreationOptional<string | null>;
  declare payment_intent_id: CreationOptional<string | null>;
  declare charge_id: CreationOptional<string | null>;
  declare customer_id: CreationOptional<string | null>;
  /** What Stripe reported as paid (minor units), once it did. */
  declare amount_paid: CreationOptional<number | null>;
  declare failure: CreationOptional<string | null>;
  /** Where the buyer comes back to (the order's confirmation page, with its key). */
  declare return_url: string;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof StripePayment {
    return StripePayment.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        group_id: { type: DataTypes.INTEGER, allowNull: false },
        reference: { type: DataTypes.STRING(40), allowNull: false },
        attempt: { type: DataTypes.INTEGER, allowNull: false },
        idempotency_key: { type: DataTypes.STRING(100), allowNull: false, unique: true },
        email: { type: DataTypes.STRING(320), allowNull: false, personal: true },
        amount: { type: DataTypes.INTEGER, allowNull: false },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        orders_json: { type: DataTypes.JSON, allowNull: false },
        status: { type: DataTypes.STRING(20), allowNull: false },
        session_id: { type: DataTypes.STRING(255), allowNull: true, unique: true, personal: true },
        payment_intent_id: { type: DataTypes.STRING(255), allowNull: true, personal: true },
        charge_id: { type: DataTypes.STRING(255), allowNull: true, personal: true },
        customer_id: { type: DataTypes.STRING(255), allowNull: true, personal: true },
        amount_paid: { type: DataTypes.INTEGER, allowNull: true },
        failure: { type: DataTypes.STRING(500), allowNull: true },
        return_url: { type: DataTypes.STRING(1000), allowNull: false },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'stripe_payments',
        modelName: 'StripePayment',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: 'updated_at',
        indexes: [{ fields: ['group_id'] }, { fields: ['payment_intent_id'] }],
      },
    );
  }
}

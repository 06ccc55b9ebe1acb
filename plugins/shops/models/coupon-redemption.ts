import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

/** `released`: the order was cancelled or expired unpaid, and the use was given back to the coupon. */
export type RedemptionStatus = 'applied' | 'released';

/** One order's use of a coupon and what it took off that order. */
export class CouponRedemption extends Model<InferAttributes<CouponRedemption>, InferCreationAttributes<CouponRedemption>> {
  declare id: CreationOptional<number>;
  declare coupon_id: number;
  declare order_id: number;
  /** A platform coupon is counted once per checkout group, whatever the number of its orders. */
  declare group_id: number;
  declare buyer_id: number | null;
  /** How a guest's uses are counted against the per-buyer limit. */
  declare email: string;
  declare amount: number;
  declare status: CreationOptional<RedemptionStatus>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof CouponRedemption {
    return CouponRedemption.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        coupon_id: { type: DataTypes.INTEGER, allowNull: false },
        order_id: { type: DataTypes.INTEGER, allowNull: false },
        group_id: { type: DataTypes.INTEGER, allowNull: false },
        buyer_id: { type: DataTypes.INTEGER, allowNull: true },
        email: { type: DataTypes.STRING(320), allowNull: false, personal: true },
        amount: { type: DataTypes.INTEGER, allowNull: false },
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'applied' },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'coupon_redemptions', modelName: 'CouponRedemption', underscored: true, createdAt: 'created_at', updatedAt: false },
    );
  }
}

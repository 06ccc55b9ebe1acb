import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type CouponKind = 'percent' | 'fixed';

/**
 * A discount code: a shop's (the seller pays: it lowers the order and the seller's earnings) or the
 * platform's when `shop_id` is null (the platform pays: the seller is paid as if there were none).
 */
export class Coupon extends Model<InferAttributes<Coupon>, InferCreationAttributes<Coupon>> {
  declare id: CreationOptional<number>;
  declare shop_id: number | null;
  /** Upper case, unique across the marketplace. */
  declare code: string;
  declare description: CreationOptional<string>;
  declare kind: CouponKind;
  /** Percent × 100 (1250 = 12.5%) or an amount in minor units of `currency`. */
  declare value: number;
  declare currency: CreationOptional<string | null>;
  declare min_subtotal: CreationOptional<number>;
  declare starts_at: CreationOptional<Date | null>;
  declare ends_at: CreationOptional<Date | null>;
  declare usage_limit: CreationOptional<number | null>;
  declare per_buyer_limit: CreationOptional<number | null>;
  /** Checkouts that used it and were not given back; claimed by a conditional update against `usage_limit`. */
  declare used_count: CreationOptional<number>;
  /** Comma-separated product ids it is limited to; empty: every product of the shop (or of the marketplace). */
  declare product_ids: CreationOptional<string>;
  declare active: CreationOptional<boolean>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  productIdList(): number[] {
    return this.product_ids
      .split(',')
      .map((s) => Number(s.trim()))
      .filter((n) => Number.isSafeInteger(n) && n > 0);
  }

  static initModel(sequelize: Sequelize): typeof Coupon {
    return Coupon.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: true },
        code: { type: DataTypes.STRING(40), allowNull: false, unique: true },
        description: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '' },
        kind: { type: DataTypes.STRING(10), allowNull: false },
        value: { type: DataTypes.INTEGER, allowNull: false },
        currency: { type: DataTypes.STRING(3), allowNull: true },
        min_subtotal: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        starts_at: { type: DataTypes.DATE, allowNull: true },
        ends_at: { type: DataTypes.DATE, allowNull: true },
        usage_limit: { type: DataTypes.INTEGER, allowNull: true },
        per_buyer_limit: { type: DataTypes.INTEGER, allowNull: true },
        used_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        product_ids: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'coupons', modelName: 'Coupon', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

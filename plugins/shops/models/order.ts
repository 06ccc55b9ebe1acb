import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { encryptedAttribute } from '@agora/core';

/** Fulfilment only: refunds are records of their own (models/refund.ts) with the sum in `refunded_total`. */
export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'completed', 'cancelled', 'expired'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** One shop's part of a checkout group. */
export class Order extends Model<InferAttributes<Order>, InferCreationAttributes<Order>> {
  declare id: CreationOptional<number>;
  declare number: string;
  declare group_id: number;
  declare shop_id: number;
  declare buyer_id: number | null;
  declare status: OrderStatus;
  declare currency: string;
  declare subtotal: number;
  declare shipping_total: number;
  declare total: number;
  /** The platform's fee on this order, computed on the server from the settings at checkout. */
  declare platform_fee: number;
  declare refunded_total: CreationOptional<number>;
  /** Taken off by the shop's coupon (the seller pays it). */
  declare discount_total: CreationOptional<number>;
  /** Taken off by a platform coupon (the platform pays it: the seller is paid `total + platform_discount - platform_fee`). */
  declare platform_discount: CreationOptional<number>;
  /** Tax of the lines and the shipping, per docs/shops-tax.md: inside `total` when `prices_include_tax`, added to it otherwise. */
  declare tax_total: CreationOptional<number>;
  declare prices_include_tax: CreationOptional<boolean>;
  declare shipping_tax: CreationOptional<number>;
  /** Percent × 100. */
  declare shipping_tax_rate: CreationOptional<number>;
  /** The codes used, comma-separated, as the buyer typed them (upper case). */
  declare coupon_codes: CreationOptional<string>;
  declare shipping_method: string;
  declare email: string;
  declare ship_name: string;
  declare ship_line1: string;
  declare ship_line2: CreationOptional<string>;
  declare ship_city: string;
  declare ship_postcode: string;
  declare ship_country: string;
  declare phone: CreationOptional<string>;
  declare tracking_number: CreationOptional<string | null>;
  declare paid_at: CreationOptional<Date | null>;
  declare shipped_at: CreationOptional<Date | null>;
  declare completed_at: CreationOptional<Date | null>;
  declare anonymized_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Order {
    return Order.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        number: { type: DataTypes.STRING(40), allowNull: false, unique: true },
        group_id: { type: DataTypes.INTEGER, allowNull: false },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        buyer_id: { type: DataTypes.INTEGER, allowNull: true },
        status: { type: DataTypes.STRING(24), allowNull: false },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        subtotal: { type: DataTypes.INTEGER, allowNull: false },
        shipping_total: { type: DataTypes.INTEGER, allowNull: false },
        total: { type: DataTypes.INTEGER, allowNull: false },
        platform_fee: { type: DataTypes.INTEGER, allowNull: false },
        refunded_total: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        discount_total: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        platform_discount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        tax_total: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        prices_include_tax: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        shipping_tax: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        shipping_tax_rate: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        coupon_codes: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '' },
        shipping_method: { type: DataTypes.STRING(100), allowNull: false },
        email: { type: DataTypes.STRING(320), allowNull: false, personal: true },
        ship_name: { type: DataTypes.STRING(200), allowNull: false, personal: true },
        // Street, town, postcode and phone are encrypted at rest (core's encryptedAttribute): never in a SQL filter.
        ship_line1: encryptedAttribute({ allowNull: false, personal: true }),
        ship_line2: encryptedAttribute({ allowNull: false, defaultValue: '', personal: true }),
        ship_city: encryptedAttribute({ allowNull: false, personal: true }),
        ship_postcode: encryptedAttribute({ allowNull: false, personal: true }),
        ship_country: { type: DataTypes.STRING(2), allowNull: false },
        phone: encryptedAttribute({ allowNull: false, defaultValue: '', personal: true }),
        tracking_number: { type: DataTypes.STRING(100), allowNull: true },
        paid_at: { type: DataTypes.DATE, allowNull: true },
        shipped_at: { type: DataTypes.DATE, allowNull: true },
        completed_at: { type: DataTypes.DATE, allowNull: true },
        anonymized_at: { type: DataTypes.DATE, allowNull: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'orders', modelName: 'Order', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

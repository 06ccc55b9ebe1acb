import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

export class Shop extends Model<InferAttributes<Shop>, InferCreationAttributes<Shop>> {
  declare id: CreationOptional<number>;
  declare owner_id: number | null;
  declare name: string;
  declare slug: string;
  declare description: CreationOptional<string>;
  declare logo_path: CreationOptional<string | null>;
  declare banner_path: CreationOptional<string | null>;
  declare location: CreationOptional<string>;
  declare currency: string;
  declare policy_terms: CreationOptional<string>;
  declare policy_returns: CreationOptional<string>;
  declare policy_shipping: CreationOptional<string>;
  declare vacation_mode: CreationOptional<boolean>;
  declare vacation_message: CreationOptional<string>;
  /** Orders paid, kept as a counter so the shop page needs no aggregate query. */
  declare sales_count: CreationOptional<number>;
  declare product_count: CreationOptional<number>;
  /** The seller's account at a marketplace payment provider (Stripe Connect), filled by that provider's plugin. */
  declare payout_account: CreationOptional<string | null>;
  /** Whether the provider says the payout account may receive money. */
  declare payout_enabled: CreationOptional<boolean>;
  /** The seller's published business details, printed on invoices (the shop's name when empty); blanked by the shops eraser. */
  declare legal_name: CreationOptional<string>;
  declare legal_address: CreationOptional<string>;
  declare vat_number: CreationOptional<string>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Shop {
    return Shop.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        owner_id: { type: DataTypes.INTEGER, allowNull: true },
        name: { type: DataTypes.STRING(100), allowNull: false },
        slug: { type: DataTypes.STRING(100), allowNull: false, unique: true },
        description: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
        logo_path: { type: DataTypes.STRING(255), allowNull: true },
        banner_path: { type: DataTypes.STRING(255), allowNull: true },
        location: { type: DataTypes.STRING(120), allowNull: false, defaultValue: '', personal: true },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        policy_terms: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
        policy_returns: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
        policy_shipping: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
        vacation_mode: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        vacation_message: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
        sales_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        product_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        payout_account: { type: DataTypes.STRING(255), allowNull: true },
        payout_enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        legal_name: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '' },
        legal_address: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
        vat_number: { type: DataTypes.STRING(40), allowNull: false, defaultValue: '' },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'shops', modelName: 'Shop', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A line of an order, with the title and price as they were when it was bought. */
export class OrderItem extends Model<InferAttributes<OrderItem>, InferCreationAttributes<OrderItem>> {
  declare id: CreationOptional<number>;
  declare order_id: number;
  declare product_id: number | null;
  declare title: string;
  declare unit_price: number;
  declare quantity: number;
  declare line_total: number;
  /** The part of the order's coupon discounts put on this line (docs/shops-tax.md). */
  declare discount: CreationOptional<number>;
  declare tax_class: CreationOptional<string>;
  /** Percent × 100, of the delivery country at checkout. */
  declare tax_rate: CreationOptional<number>;
  declare tax_amount: CreationOptional<number>;
  /** The variant bought, and its SKU and attribute values ("Size: M, Colour: Blue") as they were. */
  declare variant_id: CreationOptional<number | null>;
  declare sku: CreationOptional<string | null>;
  declare options_text: CreationOptional<string>;

  static initModel(sequelize: Sequelize): typeof OrderItem {
    return OrderItem.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        order_id: { type: DataTypes.INTEGER, allowNull: false },
        product_id: { type: DataTypes.INTEGER, allowNull: true },
        title: { type: DataTypes.STRING(200), allowNull: false },
        unit_price: { type: DataTypes.INTEGER, allowNull: false },
        quantity: { type: DataTypes.INTEGER, allowNull: false },
        line_total: { type: DataTypes.INTEGER, allowNull: false },
        discount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        tax_class: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'standard' },
        tax_rate: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        tax_amount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        variant_id: { type: DataTypes.INTEGER, allowNull: true },
        sku: { type: DataTypes.STRING(64), allowNull: true },
        options_text: { type: DataTypes.STRING(400), allowNull: false, defaultValue: '' },
      },
      { sequelize, tableName: 'order_items', modelName: 'OrderItem', timestamps: false },
    );
  }
}

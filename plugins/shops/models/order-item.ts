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
      },
      { sequelize, tableName: 'order_items', modelName: 'OrderItem', timestamps: false },
    );
  }
}

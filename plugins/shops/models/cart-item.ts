import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class CartItem extends Model<InferAttributes<CartItem>, InferCreationAttributes<CartItem>> {
  declare cart_id: number;
  declare product_id: number;
  declare quantity: number;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof CartItem {
    return CartItem.init(
      {
        cart_id: { type: DataTypes.INTEGER, primaryKey: true },
        product_id: { type: DataTypes.INTEGER, primaryKey: true },
        quantity: { type: DataTypes.INTEGER, allowNull: false },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'cart_items', modelName: 'CartItem', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A logged-in buyer's cart; a guest's cart lives in the session until login merges it here. */
export class Cart extends Model<InferAttributes<Cart>, InferCreationAttributes<Cart>> {
  declare id: CreationOptional<number>;
  declare user_id: number;
  /** JSON: {"<shopId>": <shippingMethodId>}. */
  declare shipping_choices: CreationOptional<string>;
  /** Moves on at each checkout, by a conditional update in the order's transaction: a cart is checked out once per version. */
  declare version: CreationOptional<number>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Cart {
    return Cart.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        user_id: { type: DataTypes.INTEGER, allowNull: false, unique: true },
        shipping_choices: { type: DataTypes.TEXT, allowNull: false, defaultValue: '{}' },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'carts', modelName: 'Cart', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

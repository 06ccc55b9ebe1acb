import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A product a person marked with the heart (Etsy's favourites). `shop_id` lets the seller's counts need no join. */
export class Favourite extends Model<InferAttributes<Favourite>, InferCreationAttributes<Favourite>> {
  declare id: CreationOptional<number>;
  declare user_id: number;
  declare product_id: number;
  declare shop_id: number;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Favourite {
    return Favourite.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        user_id: { type: DataTypes.INTEGER, allowNull: false },
        product_id: { type: DataTypes.INTEGER, allowNull: false },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      },
      {
        sequelize,
        tableName: 'follows_favourites',
        modelName: 'FollowsFavourite',
        timestamps: false,
        indexes: [{ unique: true, fields: ['user_id', 'product_id'] }, { fields: ['product_id', 'id'] }, { fields: ['shop_id'] }],
      },
    );
  }
}

import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** The approved reviews of one product, counted in the transaction of each approval (never recounted on a page view). */
export class ProductRating extends Model<InferAttributes<ProductRating>, InferCreationAttributes<ProductRating>> {
  declare product_id: number;
  declare shop_id: number;
  declare review_count: CreationOptional<number>;
  declare star_total: CreationOptional<number>;
  declare star_1: CreationOptional<number>;
  declare star_2: CreationOptional<number>;
  declare star_3: CreationOptional<number>;
  declare star_4: CreationOptional<number>;
  declare star_5: CreationOptional<number>;

  static initModel(sequelize: Sequelize): typeof ProductRating {
    // A new object per column: Sequelize writes each attribute's field name into its definition.
    const count = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
    return ProductRating.init(
      {
        product_id: { type: DataTypes.INTEGER, primaryKey: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        review_count: count(),
        star_total: count(),
        star_1: count(),
        star_2: count(),
        star_3: count(),
        star_4: count(),
        star_5: count(),
      },
      {
        sequelize,
        tableName: 'reviews_product_ratings',
        modelName: 'ProductRating',
        timestamps: false,
        indexes: [{ name: 'reviews_product_ratings_shop', fields: ['shop_id'] }],
      },
    );
  }
}

import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class ProductImage extends Model<InferAttributes<ProductImage>, InferCreationAttributes<ProductImage>> {
  declare id: CreationOptional<number>;
  declare product_id: number;
  /** Paths relative to the uploads folder, served under /uploads/. */
  declare path: string;
  declare thumb_path: string;
  declare alt: CreationOptional<string>;
  declare position: CreationOptional<number>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ProductImage {
    return ProductImage.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        product_id: { type: DataTypes.INTEGER, allowNull: false },
        path: { type: DataTypes.STRING(255), allowNull: false },
        thumb_path: { type: DataTypes.STRING(255), allowNull: false },
        alt: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '' },
        position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'product_images', modelName: 'ProductImage', underscored: true, createdAt: 'created_at', updatedAt: false },
    );
  }
}

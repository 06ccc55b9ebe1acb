import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class ProductTag extends Model<InferAttributes<ProductTag>, InferCreationAttributes<ProductTag>> {
  declare product_id: number;
  declare tag: string;

  static initModel(sequelize: Sequelize): typeof ProductTag {
    return ProductTag.init(
      {
        product_id: { type: DataTypes.INTEGER, primaryKey: true },
        tag: { type: DataTypes.STRING(50), primaryKey: true },
      },
      { sequelize, tableName: 'product_tags', modelName: 'ProductTag', timestamps: false },
    );
  }
}

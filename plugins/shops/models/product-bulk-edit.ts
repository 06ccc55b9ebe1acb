import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * The record of one bulk edit of a shop's products: who, how many, what was asked (JSON). `request_key`
 * is the form's one-time key and unique, so the same form sent twice (a double click) applies once.
 */
export class ProductBulkEdit extends Model<InferAttributes<ProductBulkEdit>, InferCreationAttributes<ProductBulkEdit>> {
  declare id: CreationOptional<number>;
  declare shop_id: number;
  declare user_id: number | null;
  declare request_key: string;
  declare product_count: number;
  declare summary: string;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ProductBulkEdit {
    return ProductBulkEdit.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        user_id: { type: DataTypes.INTEGER, allowNull: true },
        request_key: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        product_count: { type: DataTypes.INTEGER, allowNull: false },
        summary: { type: DataTypes.TEXT, allowNull: false },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'product_bulk_edits', modelName: 'ProductBulkEdit', underscored: true, createdAt: 'created_at', updatedAt: false },
    );
  }
}

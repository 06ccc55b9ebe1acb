import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A file a digital product delivers: the bytes are one of core's private files (never under a public address). */
export class ProductDownload extends Model<InferAttributes<ProductDownload>, InferCreationAttributes<ProductDownload>> {
  declare id: CreationOptional<number>;
  declare product_id: number;
  /** The private file's id (core/files/private-files.ts, owner "shops"). */
  declare file_id: string;
  /** The name the buyer downloads it under. */
  declare name: string;
  declare size: number;
  declare position: CreationOptional<number>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ProductDownload {
    return ProductDownload.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        product_id: { type: DataTypes.INTEGER, allowNull: false },
        file_id: { type: DataTypes.STRING(36), allowNull: false },
        name: { type: DataTypes.STRING(255), allowNull: false },
        size: { type: DataTypes.INTEGER, allowNull: false },
        position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'product_downloads',
        modelName: 'ProductDownload',
        indexes: [
          { name: 'product_downloads_product', fields: ['product_id', 'position'] },
          { name: 'product_downloads_name_unique', unique: true, fields: ['product_id', 'name'] },
        ],
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
      },
    );
  }
}

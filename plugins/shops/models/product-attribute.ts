import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** An attribute a shop's products vary by (size, colour...), defined once per shop and reused by its products. */
export class ProductAttribute extends Model<InferAttributes<ProductAttribute>, InferCreationAttributes<ProductAttribute>> {
  declare id: CreationOptional<number>;
  declare shop_id: number;
  declare name: string;
  declare position: CreationOptional<number>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ProductAttribute {
    return ProductAttribute.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        name: { type: DataTypes.STRING(60), allowNull: false },
        position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'product_attributes', modelName: 'ProductAttribute', indexes: [{ name: 'product_attributes_shop_name', unique: true, fields: ['shop_id', 'name'] }], underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

/** One value of an attribute ("M" of size), in the order the seller listed them. */
export class ProductAttributeValue extends Model<InferAttributes<ProductAttributeValue>, InferCreationAttributes<ProductAttributeValue>> {
  declare id: CreationOptional<number>;
  declare attribute_id: number;
  declare value: string;
  declare position: CreationOptional<number>;

  static initModel(sequelize: Sequelize): typeof ProductAttributeValue {
    return ProductAttributeValue.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        attribute_id: { type: DataTypes.INTEGER, allowNull: false },
        value: { type: DataTypes.STRING(60), allowNull: false },
        position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      },
      { sequelize, tableName: 'product_attribute_values', modelName: 'ProductAttributeValue', indexes: [{ name: 'product_attribute_values_unique', unique: true, fields: ['attribute_id', 'value'] }], timestamps: false },
    );
  }
}

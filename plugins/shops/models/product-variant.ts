import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** One combination of a product's attribute values that the seller sells, with its own SKU, price, stock and picture. */
export class ProductVariant extends Model<InferAttributes<ProductVariant>, InferCreationAttributes<ProductVariant>> {
  declare id: CreationOptional<number>;
  declare product_id: number;
  declare shop_id: number;
  /** The value ids, ascending, joined by "-" (unique per product). */
  declare combination: string;
  declare sku: string | null;
  /** Null: the product's price. */
  declare price: number | null;
  declare compare_at_price: number | null;
  /** Units in stock; null means unlimited. Taken only with a conditional update inside the order's transaction. */
  declare stock: number | null;
  /** A picture of the product (product_images.id) shown when this variant is chosen. */
  declare image_id: number | null;
  declare enabled: CreationOptional<boolean>;
  declare position: CreationOptional<number>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  priceOf(productPrice: number): number {
    return this.price ?? productPrice;
  }

  inStock(quantity = 1): boolean {
    return this.stock === null || this.stock >= quantity;
  }

  static initModel(sequelize: Sequelize): typeof ProductVariant {
    return ProductVariant.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        product_id: { type: DataTypes.INTEGER, allowNull: false },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        combination: { type: DataTypes.STRING(200), allowNull: false },
        sku: { type: DataTypes.STRING(64), allowNull: true },
        price: { type: DataTypes.INTEGER, allowNull: true },
        compare_at_price: { type: DataTypes.INTEGER, allowNull: true },
        stock: { type: DataTypes.INTEGER, allowNull: true },
        image_id: { type: DataTypes.INTEGER, allowNull: true },
        enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'product_variants', modelName: 'ProductVariant', indexes: [{ name: 'product_variants_combination', unique: true, fields: ['product_id', 'combination'] }, { name: 'product_variants_shop_sku', unique: true, fields: ['shop_id', 'sku'] }], underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

/** Which attribute values make up a variant. */
export class ProductVariantValue extends Model<InferAttributes<ProductVariantValue>, InferCreationAttributes<ProductVariantValue>> {
  declare variant_id: number;
  declare value_id: number;

  static initModel(sequelize: Sequelize): typeof ProductVariantValue {
    return ProductVariantValue.init(
      {
        variant_id: { type: DataTypes.INTEGER, primaryKey: true },
        value_id: { type: DataTypes.INTEGER, primaryKey: true },
      },
      { sequelize, tableName: 'product_variant_values', modelName: 'ProductVariantValue', timestamps: false },
    );
  }
}

/** The catalog's index of the attribute values a product's enabled variants offer (lowercased names and values). */
export class ProductOption extends Model<InferAttributes<ProductOption>, InferCreationAttributes<ProductOption>> {
  declare attribute: string;
  declare value: string;
  declare product_id: number;

  static initModel(sequelize: Sequelize): typeof ProductOption {
    return ProductOption.init(
      {
        attribute: { type: DataTypes.STRING(60), primaryKey: true },
        value: { type: DataTypes.STRING(60), primaryKey: true },
        product_id: { type: DataTypes.INTEGER, primaryKey: true },
      },
      { sequelize, tableName: 'product_options', modelName: 'ProductOption', timestamps: false },
    );
  }
}

/** A logged-in buyer's cart line of one variant (a product without variants has its line in cart_items). */
export class CartVariantItem extends Model<InferAttributes<CartVariantItem>, InferCreationAttributes<CartVariantItem>> {
  declare cart_id: number;
  declare variant_id: number;
  declare quantity: number;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof CartVariantItem {
    return CartVariantItem.init(
      {
        cart_id: { type: DataTypes.INTEGER, primaryKey: true },
        variant_id: { type: DataTypes.INTEGER, primaryKey: true },
        quantity: { type: DataTypes.INTEGER, allowNull: false },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'cart_variant_items', modelName: 'CartVariantItem', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

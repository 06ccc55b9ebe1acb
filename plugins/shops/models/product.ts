import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type ProductStatus = 'draft' | 'published';

export class Product extends Model<InferAttributes<Product>, InferCreationAttributes<Product>> {
  declare id: CreationOptional<number>;
  declare shop_id: number;
  declare title: string;
  declare slug: string;
  /** The seller's stock-keeping unit, unique within the shop; optional (a CSV import matches rows by it). */
  declare sku: CreationOptional<string | null>;
  declare description: CreationOptional<string>;
  declare price: number;
  declare compare_at_price: number | null;
  declare currency: string;
  /** Units in stock; null means unlimited. Taken only with a conditional update inside the order's transaction. */
  declare stock: number | null;
  declare category_id: number | null;
  declare status: CreationOptional<ProductStatus>;
  /** The tags joined by spaces, kept for full-text search (product_tags holds them one per row for tag pages). */
  declare tags_text: CreationOptional<string>;
  /** The first image's thumbnail, kept here so catalog pages need no join. */
  declare image_path: CreationOptional<string | null>;
  declare published_at: CreationOptional<Date | null>;
  /** The mean of its approved reviews in hundredths of a star (430 = 4.3), kept by the reviews plugin; 0 without reviews. */
  declare rating_avg: CreationOptional<number>;
  declare rating_count: CreationOptional<number>;
  /** Its tax class (models/tax-rate.ts): the rate is the delivery country's for this class. */
  declare tax_class: CreationOptional<string>;
  /** The lowest enabled variant's price when the variants' prices differ ("from €X" on a card); null otherwise. */
  declare price_from: CreationOptional<number | null>;
  /** Enabled variants: more than 0 means a buyer must choose one (the product's stock is then their sum). */
  declare variant_count: CreationOptional<number>;
  /**
   * What the catalog sorts and filters by: with enabled variants, the lowest price of one in stock (of all
   * enabled ones when every one is sold out); without, `price`. Kept by the database's triggers (migration
   * 0023) in the statement that changes a price, a variant or a variant's stock across zero; never written here.
   */
  declare catalog_price: CreationOptional<number | null>;
  /** Delivered as files (models/product-download.ts) after payment instead of a parcel: no shipping (docs/shops-digital.md). */
  declare is_digital: CreationOptional<boolean>;
  /** The seller's download limit and link lifetime in days for it; null: the store's settings. */
  declare download_limit: CreationOptional<number | null>;
  declare download_days: CreationOptional<number | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  isDiscounted(): boolean {
    return this.compare_at_price !== null && this.compare_at_price > this.price;
  }

  inStock(quantity = 1): boolean {
    return this.stock === null || this.stock >= quantity;
  }

  static initModel(sequelize: Sequelize): typeof Product {
    return Product.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        title: { type: DataTypes.STRING(200), allowNull: false },
        slug: { type: DataTypes.STRING(220), allowNull: false, unique: true },
        sku: { type: DataTypes.STRING(64), allowNull: true },
        description: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
        price: { type: DataTypes.INTEGER, allowNull: false },
        compare_at_price: { type: DataTypes.INTEGER, allowNull: true },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        stock: { type: DataTypes.INTEGER, allowNull: true },
        category_id: { type: DataTypes.INTEGER, allowNull: true },
        status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'draft' },
        tags_text: { type: DataTypes.STRING(1000), allowNull: false, defaultValue: '' },
        image_path: { type: DataTypes.STRING(255), allowNull: true },
        published_at: { type: DataTypes.DATE, allowNull: true },
        rating_avg: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        rating_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        tax_class: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'standard' },
        price_from: { type: DataTypes.INTEGER, allowNull: true },
        variant_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        catalog_price: { type: DataTypes.INTEGER, allowNull: true },
        is_digital: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        download_limit: { type: DataTypes.INTEGER, allowNull: true },
        download_days: { type: DataTypes.INTEGER, allowNull: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'products', modelName: 'Product', indexes: [{ name: 'products_shop_sku', unique: true, fields: ['shop_id', 'sku'] }], underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

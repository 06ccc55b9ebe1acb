import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * Variants (issue 17): attributes defined per shop with ordered values; a product's variants, one per
 * combination the seller enabled, each with its own SKU, price, compare-at price, stock and picture.
 *
 * - `product_options` is the catalog's index of "which products offer size M": one row per attribute name
 *   and value (lowercased, so "Size"/"size" of two shops match) that an enabled variant of the product has,
 *   rewritten in the transaction that saves the variants. The filter is an EXISTS on its primary key.
 * - A cart line of a variant lives in `cart_variant_items` (the product's own line stays in `cart_items`).
 * - An order item keeps the variant's SKU and attribute values as they were (a snapshot).
 * - `products.price_from` is the lowest enabled variant's price when the variants' prices differ, so a
 *   product card says "from €X" without a join; null otherwise.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  const ts = { created_at: { type: T.DATE, allowNull: false }, updated_at: { type: T.DATE, allowNull: false } };
  await q.createTable('product_attributes', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    shop_id: { type: T.INTEGER, allowNull: false, references: { model: 'shops', key: 'id' }, onDelete: 'CASCADE' },
    name: { type: T.STRING(60), allowNull: false },
    position: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    ...ts,
  });
  await q.addIndex('product_attributes', ['shop_id', 'name'], { unique: true, name: 'product_attributes_shop_name' });
  await q.createTable('product_attribute_values', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    attribute_id: { type: T.INTEGER, allowNull: false, references: { model: 'product_attributes', key: 'id' }, onDelete: 'CASCADE' },
    value: { type: T.STRING(60), allowNull: false },
    position: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
  });
  await q.addIndex('product_attribute_values', ['attribute_id', 'value'], { unique: true, name: 'product_attribute_values_unique' });
  await q.createTable('product_variants', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    product_id: { type: T.INTEGER, allowNull: false, references: { model: 'products', key: 'id' }, onDelete: 'CASCADE' },
    shop_id: { type: T.INTEGER, allowNull: false, references: { model: 'shops', key: 'id' }, onDelete: 'CASCADE' },
    /** The value ids of the combination, ascending, joined by "-": one variant per combination. */
    combination: { type: T.STRING(200), allowNull: false },
    sku: { type: T.STRING(64), allowNull: true },
    price: { type: T.INTEGER, allowNull: true },
    compare_at_price: { type: T.INTEGER, allowNull: true },
    stock: { type: T.INTEGER, allowNull: true },
    image_id: { type: T.INTEGER, allowNull: true, references: { model: 'product_images', key: 'id' }, onDelete: 'SET NULL' },
    enabled: { type: T.BOOLEAN, allowNull: false, defaultValue: true },
    position: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    ...ts,
  });
  await q.addIndex('product_variants', ['product_id', 'combination'], { unique: true, name: 'product_variants_combination' });
  // NULL SKUs never collide (SQLite and PostgreSQL alike): a SKU is optional but unique within the shop.
  await q.addIndex('product_variants', ['shop_id', 'sku'], { unique: true, name: 'product_variants_shop_sku' });
  await q.createTable('product_variant_values', {
    variant_id: { type: T.INTEGER, allowNull: false, primaryKey: true, references: { model: 'product_variants', key: 'id' }, onDelete: 'CASCADE' },
    value_id: { type: T.INTEGER, allowNull: false, primaryKey: true, references: { model: 'product_attribute_values', key: 'id' }, onDelete: 'CASCADE' },
  });
  await q.addIndex('product_variant_values', ['value_id'], { name: 'product_variant_values_value' });
  await q.createTable('product_options', {
    attribute: { type: T.STRING(60), allowNull: false, primaryKey: true },
    value: { type: T.STRING(60), allowNull: false, primaryKey: true },
    product_id: { type: T.INTEGER, allowNull: false, primaryKey: true, references: { model: 'products', key: 'id' }, onDelete: 'CASCADE' },
  });
  await q.addIndex('product_options', ['product_id'], { name: 'product_options_product' });
  await q.createTable('cart_variant_items', {
    cart_id: { type: T.INTEGER, allowNull: false, primaryKey: true, references: { model: 'carts', key: 'id' }, onDelete: 'CASCADE' },
    variant_id: { type: T.INTEGER, allowNull: false, primaryKey: true, references: { model: 'product_variants', key: 'id' }, onDelete: 'CASCADE' },
    quantity: { type: T.INTEGER, allowNull: false },
    ...ts,
  });
  // No foreign key: the line is a record of what was sold (SQLite could not drop a referencing column on the way down either).
  await q.addColumn('order_items', 'variant_id', { type: T.INTEGER, allowNull: true });
  await q.addColumn('order_items', 'sku', { type: T.STRING(64), allowNull: true });
  await q.addColumn('order_items', 'options_text', { type: T.STRING(400), allowNull: false, defaultValue: '' });
  await q.addColumn('products', 'price_from', { type: T.INTEGER, allowNull: true });
  await q.addColumn('products', 'variant_count', { type: T.INTEGER, allowNull: false, defaultValue: 0 });
}

export async function down({ context: { queryInterface: q, sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  // Plain DROP COLUMN: Sequelize's SQLite removeColumn rebuilds the table and would lose products' search triggers.
  await sequelize.query('ALTER TABLE products DROP COLUMN variant_count');
  await sequelize.query('ALTER TABLE products DROP COLUMN price_from');
  await sequelize.query('ALTER TABLE order_items DROP COLUMN options_text');
  await sequelize.query('ALTER TABLE order_items DROP COLUMN sku');
  await sequelize.query('ALTER TABLE order_items DROP COLUMN variant_id');
  for (const t of ['cart_variant_items', 'product_options', 'product_variant_values', 'product_variants', 'product_attribute_values', 'product_attributes']) await q.dropTable(t);
}

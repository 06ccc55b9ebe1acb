import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  const ts = { created_at: { type: T.DATE, allowNull: false }, updated_at: { type: T.DATE, allowNull: false } };
  await q.createTable('shops', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    owner_id: { type: T.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    name: { type: T.STRING(100), allowNull: false },
    slug: { type: T.STRING(100), allowNull: false, unique: true },
    description: { type: T.TEXT, allowNull: false, defaultValue: '' },
    logo_path: { type: T.STRING(255), allowNull: true },
    banner_path: { type: T.STRING(255), allowNull: true },
    location: { type: T.STRING(120), allowNull: false, defaultValue: '' },
    currency: { type: T.STRING(3), allowNull: false },
    policy_terms: { type: T.TEXT, allowNull: false, defaultValue: '' },
    policy_returns: { type: T.TEXT, allowNull: false, defaultValue: '' },
    policy_shipping: { type: T.TEXT, allowNull: false, defaultValue: '' },
    vacation_mode: { type: T.BOOLEAN, allowNull: false, defaultValue: false },
    vacation_message: { type: T.STRING(500), allowNull: false, defaultValue: '' },
    sales_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    product_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    ...ts,
  });
  await q.createTable('shop_members', {
    shop_id: { type: T.INTEGER, allowNull: false, primaryKey: true, references: { model: 'shops', key: 'id' }, onDelete: 'CASCADE' },
    user_id: { type: T.INTEGER, allowNull: false, primaryKey: true, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    role: { type: T.STRING(20), allowNull: false, defaultValue: 'owner' },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('shop_members', ['user_id']);
  await q.createTable('shipping_methods', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    shop_id: { type: T.INTEGER, allowNull: false, references: { model: 'shops', key: 'id' }, onDelete: 'CASCADE' },
    name: { type: T.STRING(100), allowNull: false },
    price: { type: T.INTEGER, allowNull: false },
    free_over: { type: T.INTEGER, allowNull: true },
    countries: { type: T.STRING(1000), allowNull: false, defaultValue: '' },
    position: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    ...ts,
  });
  await q.addIndex('shipping_methods', ['shop_id']);
  await q.createTable('categories', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    name: { type: T.STRING(100), allowNull: false },
    slug: { type: T.STRING(100), allowNull: false, unique: true },
    parent_id: { type: T.INTEGER, allowNull: true, references: { model: 'categories', key: 'id' }, onDelete: 'SET NULL' },
    position: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
  });
  await q.createTable('products', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    shop_id: { type: T.INTEGER, allowNull: false, references: { model: 'shops', key: 'id' }, onDelete: 'CASCADE' },
    title: { type: T.STRING(200), allowNull: false },
    slug: { type: T.STRING(220), allowNull: false, unique: true },
    description: { type: T.TEXT, allowNull: false, defaultValue: '' },
    price: { type: T.INTEGER, allowNull: false },
    compare_at_price: { type: T.INTEGER, allowNull: true },
    currency: { type: T.STRING(3), allowNull: false },
    stock: { type: T.INTEGER, allowNull: true },
    category_id: { type: T.INTEGER, allowNull: true, references: { model: 'categories', key: 'id' }, onDelete: 'SET NULL' },
    status: { type: T.STRING(20), allowNull: false, defaultValue: 'draft' },
    tags_text: { type: T.STRING(1000), allowNull: false, defaultValue: '' },
    image_path: { type: T.STRING(255), allowNull: true },
    published_at: { type: T.DATE, allowNull: true },
    ...ts,
  });
  // The catalog pages sort and filter published products by these; each page must be an index range scan.
  await q.addIndex('products', ['status', 'published_at', 'id'], { name: 'products_status_published' });
  await q.addIndex('products', ['status', 'price', 'id'], { name: 'products_status_price' });
  await q.addIndex('products', ['category_id', 'status', 'published_at', 'id'], { name: 'products_category_published' });
  await q.addIndex('products', ['shop_id', 'status', 'published_at', 'id'], { name: 'products_shop_published' });
  await q.createTable('product_images', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    product_id: { type: T.INTEGER, allowNull: false, references: { model: 'products', key: 'id' }, onDelete: 'CASCADE' },
    path: { type: T.STRING(255), allowNull: false },
    thumb_path: { type: T.STRING(255), allowNull: false },
    alt: { type: T.STRING(200), allowNull: false, defaultValue: '' },
    position: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('product_images', ['product_id', 'position']);
  await q.createTable('product_tags', {
    product_id: { type: T.INTEGER, allowNull: false, primaryKey: true, references: { model: 'products', key: 'id' }, onDelete: 'CASCADE' },
    tag: { type: T.STRING(50), allowNull: false, primaryKey: true },
  });
  await q.addIndex('product_tags', ['tag']);
  await q.createTable('announcements', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    title: { type: T.STRING(200), allowNull: false },
    body: { type: T.TEXT, allowNull: false },
    ...ts,
  });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  for (const t of ['announcements', 'product_tags', 'product_images', 'products', 'categories', 'shipping_methods', 'shop_members', 'shops']) await q.dropTable(t);
}

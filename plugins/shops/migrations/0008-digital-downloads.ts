import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * Issue 17, digital goods (docs/shops-digital.md).
 *
 * - On `products`: `is_digital` (delivered as files instead of a parcel: no shipping), and the seller's own
 *   download limit and link lifetime (null: the store's settings).
 * - `product_downloads`: the files of a product, each a private file of core's (`private_files`, never under
 *   a public address).
 * - `download_grants`: one per paid order line and file, the buyer's access: the limit and expiry copied when
 *   it is granted, `downloads_used` claimed by a conditional update, `revoked_at` set by a refund.
 * - `download_records`: each download, a record (who, when, the IP truncated).
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addColumn('products', 'is_digital', { type: T.BOOLEAN, allowNull: false, defaultValue: false });
  await q.addColumn('products', 'download_limit', { type: T.INTEGER, allowNull: true });
  await q.addColumn('products', 'download_days', { type: T.INTEGER, allowNull: true });

  await q.createTable('product_downloads', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    product_id: { type: T.INTEGER, allowNull: false, references: { model: 'products', key: 'id' }, onDelete: 'CASCADE' },
    file_id: { type: T.STRING(36), allowNull: false },
    name: { type: T.STRING(255), allowNull: false },
    size: { type: T.INTEGER, allowNull: false },
    position: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('product_downloads', ['product_id', 'position'], { name: 'product_downloads_product' });

  await q.createTable('download_grants', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    order_id: { type: T.INTEGER, allowNull: false, references: { model: 'orders', key: 'id' }, onDelete: 'CASCADE' },
    order_item_id: { type: T.INTEGER, allowNull: false, references: { model: 'order_items', key: 'id' }, onDelete: 'CASCADE' },
    // A file the seller removes later stays downloadable by those who bought it: the grant keeps the private file's id.
    product_download_id: { type: T.INTEGER, allowNull: true },
    file_id: { type: T.STRING(36), allowNull: false },
    name: { type: T.STRING(255), allowNull: false },
    size: { type: T.INTEGER, allowNull: false },
    download_limit: { type: T.INTEGER, allowNull: true },
    downloads_used: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    expires_at: { type: T.DATE, allowNull: true },
    revoked_at: { type: T.DATE, allowNull: true },
    revoked_reason: { type: T.STRING(200), allowNull: false, defaultValue: '' },
    created_at: { type: T.DATE, allowNull: false },
  });
  // One grant per line and file: granting again (a retried hook, the order page healing a missed one) adds none.
  await q.addIndex('download_grants', ['order_item_id', 'file_id'], { unique: true, name: 'download_grants_item_file_unique' });
  await q.addIndex('download_grants', ['order_id'], { name: 'download_grants_order' });

  await q.createTable('download_records', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    grant_id: { type: T.INTEGER, allowNull: false, references: { model: 'download_grants', key: 'id' }, onDelete: 'CASCADE' },
    order_id: { type: T.INTEGER, allowNull: false },
    user_id: { type: T.INTEGER, allowNull: true },
    ip: { type: T.STRING(45), allowNull: false, defaultValue: '' },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('download_records', ['grant_id'], { name: 'download_records_grant' });
  await q.addIndex('download_records', ['order_id'], { name: 'download_records_order' });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.dropTable('download_records');
  await q.dropTable('download_grants');
  await q.dropTable('product_downloads');
  await q.removeColumn('products', 'download_days');
  await q.removeColumn('products', 'download_limit');
  await q.removeColumn('products', 'is_digital');
}

import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * Working in bulk (issue 17): bulk edits and CSV imports of a shop's products.
 *
 * - `products.sku`: a product's own stock-keeping unit, optional and unique within its shop (NULLs never
 *   collide, on SQLite and PostgreSQL alike); what an import matches rows by.
 * - `product_bulk_edits`: the record of each bulk edit (who, how many products, what was asked). Its
 *   `request_key` comes from the form and is unique, so a double click applies the edit once: the second
 *   request's insert fails inside its transaction.
 * - `product_imports`: one uploaded CSV, from preview to done; `status` moves only by conditional updates
 *   (previewed → queued by the confirm that claims it, queued → running by the job, → done or failed).
 * - `product_import_rows`: its rows as read (cells as JSON), what the preview planned and what the job did.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addColumn('products', 'sku', { type: T.STRING(64), allowNull: true });
  await q.addIndex('products', ['shop_id', 'sku'], { unique: true, name: 'products_shop_sku' });

  await q.createTable('product_bulk_edits', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    shop_id: { type: T.INTEGER, allowNull: false, references: { model: 'shops', key: 'id' }, onDelete: 'CASCADE' },
    user_id: { type: T.INTEGER, allowNull: true },
    request_key: { type: T.STRING(64), allowNull: false, unique: true },
    product_count: { type: T.INTEGER, allowNull: false },
    summary: { type: T.TEXT, allowNull: false },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('product_bulk_edits', ['shop_id', 'created_at'], { name: 'product_bulk_edits_shop_created' });

  await q.createTable('product_imports', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    shop_id: { type: T.INTEGER, allowNull: false, references: { model: 'shops', key: 'id' }, onDelete: 'CASCADE' },
    user_id: { type: T.INTEGER, allowNull: true },
    filename: { type: T.STRING(200), allowNull: false },
    status: { type: T.STRING(20), allowNull: false },
    total_rows: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    processed_rows: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    created_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    updated_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    unchanged_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    error_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    failure: { type: T.STRING(500), allowNull: true },
    confirmed_at: { type: T.DATE, allowNull: true },
    finished_at: { type: T.DATE, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('product_imports', ['shop_id', 'created_at'], { name: 'product_imports_shop_created' });

  await q.createTable('product_import_rows', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    import_id: { type: T.INTEGER, allowNull: false, references: { model: 'product_imports', key: 'id' }, onDelete: 'CASCADE' },
    line: { type: T.INTEGER, allowNull: false },
    cells: { type: T.TEXT, allowNull: false },
    planned: { type: T.STRING(12), allowNull: false },
    outcome: { type: T.STRING(12), allowNull: false, defaultValue: 'pending' },
    product_id: { type: T.INTEGER, allowNull: true },
    sku: { type: T.STRING(64), allowNull: true },
    title: { type: T.STRING(200), allowNull: false, defaultValue: '' },
    message: { type: T.STRING(1000), allowNull: true },
  });
  await q.addIndex('product_import_rows', ['import_id', 'line'], { unique: true, name: 'product_import_rows_line' });
  await q.addIndex('product_import_rows', ['import_id', 'outcome', 'line'], { name: 'product_import_rows_outcome' });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.dropTable('product_import_rows');
  await q.dropTable('product_imports');
  await q.dropTable('product_bulk_edits');
  await q.removeIndex('products', 'products_shop_sku');
  await q.removeColumn('products', 'sku');
}

import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * A product's rating, kept on the product by the reviews plugin (through the shops service, in the approval's
 * transaction), so the catalog filters ("4 stars and up") and sorts ("best rated") on an index at 100k
 * products and 1M reviews, with no join and no aggregate per page.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addColumn('products', 'rating_avg', { type: T.INTEGER, allowNull: false, defaultValue: 0 });
  await q.addColumn('products', 'rating_count', { type: T.INTEGER, allowNull: false, defaultValue: 0 });
  await q.addIndex('products', ['status', 'rating_avg', 'rating_count', 'id'], { name: 'products_status_rating' });
}

export async function down({ context: { queryInterface: q, sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.removeIndex('products', 'products_status_rating');
  // Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): Sequelize's SQLite removeColumn rebuilds the table,
  // which would lose the full-text triggers and indexes the earlier migrations' down steps remove by name.
  await sequelize.query('ALTER TABLE products DROP COLUMN rating_count');
  await sequelize.query('ALTER TABLE products DROP COLUMN rating_avg');
}

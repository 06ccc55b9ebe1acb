import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

// Digital goods (docs/shops-digital.md): a product's files are told apart by name (the buyer sees the names), so
// one name is one file; a form sent twice at once (a double click) adds it once.
export async function up({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addIndex('product_downloads', ['product_id', 'name'], { unique: true, name: 'product_downloads_name_unique' });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.removeIndex('product_downloads', 'product_downloads_name_unique');
}

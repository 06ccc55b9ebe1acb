import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

// Order search (issue 17, working in bulk): a shop's orders by date range (the seller's list, its CSV), and
// every shop's by date (the admin's search and the monthly sales report). Status filters keep using
// (shop_id, status, created_at) from 0002; a number is unique already.
export async function up({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addIndex('orders', ['shop_id', 'created_at'], { name: 'orders_shop_created' });
  await q.addIndex('orders', ['created_at'], { name: 'orders_created' });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.removeIndex('orders', 'orders_created');
  await q.removeIndex('orders', 'orders_shop_created');
}

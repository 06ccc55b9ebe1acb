import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * The sales report (issue 17, docs/shops-reports.md) sums paid orders by the month of `paid_at` and
 * succeeded refunds by the month of `settled_at`, in SQL. Each has a partial index holding only those rows
 * with every column the sums read, so the report is a range walk of an index (index-only on SQLite) however
 * many orders there are, per shop or for all of them.
 *
 * Refunds that succeeded before refunds had a settlement time (migration 0004 added `settled_at`) are
 * dated by when they were made, so none falls out of the report.
 */
const MONEY = 'currency, total, discount_total, platform_discount, tax_total, platform_fee';

export async function up({ context: { sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  await sequelize.query("UPDATE refunds SET settled_at = created_at WHERE status = 'succeeded' AND settled_at IS NULL");
  await sequelize.query(`CREATE INDEX orders_paid_report ON orders (paid_at, shop_id, ${MONEY}) WHERE paid_at IS NOT NULL`);
  await sequelize.query(`CREATE INDEX orders_shop_paid_report ON orders (shop_id, paid_at, ${MONEY}) WHERE paid_at IS NOT NULL`);
  await sequelize.query("CREATE INDEX refunds_settled_report ON refunds (settled_at, order_id, amount) WHERE status = 'succeeded'");
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.removeIndex('refunds', 'refunds_settled_report');
  await q.removeIndex('orders', 'orders_shop_paid_report');
  await q.removeIndex('orders', 'orders_paid_report');
}

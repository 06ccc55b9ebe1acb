import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * The sales report (issue 17, docs/shops-reports.md) sums paid orders by the month of `paid_at` and
 * succeeded refunds by the month of `settled_at`, in SQL. Each sum has partial indexes holding only its rows
 * and every column it reads, one for every shop and one per shop, so the report is a range walk of an index
 * (index-only on SQLite) whatever the size of the marketplace.
 *
 * - `refunds.shop_id` and `refunds.currency`: the refund's order's, copied by a trigger when the refund is
 *   written (an order never changes shop or currency), so a seller's refunds are found without reading every
 *   refund of the month and its order.
 * - Refunds that succeeded before refunds had a settlement time (migration 0004 added `settled_at`) are dated
 *   by when they were made, so none falls out of the report.
 */
const MONEY = 'currency, total, discount_total, platform_discount, tax_total, platform_fee';
const FROM_ORDER = (row: string) => `shop_id = (SELECT o.shop_id FROM orders o WHERE o.id = ${row}.order_id), currency = (SELECT o.currency FROM orders o WHERE o.id = ${row}.order_id)`;

const SQLITE_UP = [
  `CREATE TRIGGER shops_refund_order_insert AFTER INSERT ON refunds
   BEGIN UPDATE refunds SET ${FROM_ORDER('NEW')} WHERE id = NEW.id; END`,
];
const POSTGRES_UP = [
  `CREATE OR REPLACE FUNCTION shops_refund_order() RETURNS trigger LANGUAGE plpgsql AS $fn$
   BEGIN
     SELECT o.shop_id, o.currency INTO NEW.shop_id, NEW.currency FROM orders o WHERE o.id = NEW.order_id;
     RETURN NEW;
   END
   $fn$`,
  'CREATE TRIGGER shops_refund_order_insert BEFORE INSERT ON refunds FOR EACH ROW EXECUTE FUNCTION shops_refund_order()',
];

export async function up({ context: { queryInterface: q, sequelize, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  const postgres = sequelize.getDialect() === 'postgres';
  await q.addColumn('refunds', 'shop_id', { type: T.INTEGER, allowNull: true });
  await q.addColumn('refunds', 'currency', { type: T.STRING(3), allowNull: true });
  await sequelize.query(`UPDATE refunds SET ${FROM_ORDER('refunds')}`);
  await sequelize.query("UPDATE refunds SET settled_at = created_at WHERE status = 'succeeded' AND settled_at IS NULL");
  for (const statement of postgres ? POSTGRES_UP : SQLITE_UP) await sequelize.query(statement);
  await sequelize.query(`CREATE INDEX orders_paid_report ON orders (paid_at, shop_id, ${MONEY}) WHERE paid_at IS NOT NULL`);
  await sequelize.query(`CREATE INDEX orders_shop_paid_report ON orders (shop_id, paid_at, ${MONEY}) WHERE paid_at IS NOT NULL`);
  await sequelize.query("CREATE INDEX refunds_settled_report ON refunds (settled_at, shop_id, currency, amount) WHERE status = 'succeeded'");
  await sequelize.query("CREATE INDEX refunds_shop_settled_report ON refunds (shop_id, settled_at, currency, amount) WHERE status = 'succeeded'");
}

export async function down({ context: { queryInterface: q, sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  const postgres = sequelize.getDialect() === 'postgres';
  await sequelize.query('DROP TRIGGER IF EXISTS shops_refund_order_insert' + (postgres ? ' ON refunds' : ''));
  if (postgres) await sequelize.query('DROP FUNCTION IF EXISTS shops_refund_order()');
  await q.removeIndex('refunds', 'refunds_shop_settled_report');
  await q.removeIndex('refunds', 'refunds_settled_report');
  await q.removeIndex('orders', 'orders_shop_paid_report');
  await q.removeIndex('orders', 'orders_paid_report');
  await q.removeColumn('refunds', 'currency');
  await q.removeColumn('refunds', 'shop_id');
}

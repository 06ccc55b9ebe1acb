import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * Two changes of issue 8 that need the schema (one file, the one name this work was given):
 *
 * 1. Refunds are records, not order states. An order that a refund moved to `refunded` or
 *    `partially_refunded` gets back the fulfilment status it had before (the last of paid, shipped or
 *    completed in its history); a full refund of an order that was never shipped becomes `cancelled`,
 *    as a full refund of an unshipped order does from now on. The refunds rows and `refunded_total` are
 *    kept as they are: they are the ledger.
 * 2. A checkout consumes its cart once. `carts.version` is claimed by a conditional update in the
 *    order's transaction; `checkout_groups.cart_claim` (unique) names the cart and version (or a guest
 *    cart's one-time token) a group consumed, so a second checkout of the same cart cannot be written
 *    and its request is sent to the group that was.
 * 3. Saved addresses have a default (the account's address book, /account/addresses).
 */
export async function up({ context: { queryInterface: q, DataTypes: T, sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addColumn('carts', 'version', { type: T.INTEGER, allowNull: false, defaultValue: 0 });
  await q.addColumn('checkout_groups', 'cart_claim', { type: T.STRING(100), allowNull: true });
  await q.addIndex('checkout_groups', ['cart_claim'], { unique: true, name: 'checkout_groups_cart_claim_unique' });

  await q.addColumn('addresses', 'is_default', { type: T.BOOLEAN, allowNull: false, defaultValue: false });
  await restoreFulfilmentStatuses(sequelize);
}

/** Gives each order a refund had moved back the fulfilment status it had (exported for its test). */
export async function restoreFulfilmentStatuses(sequelize: MigrationContext['sequelize']): Promise<void> {
  const [rows] = await sequelize.query(`SELECT id, status, total, refunded_total FROM orders WHERE status IN ('refunded', 'partially_refunded')`);
  for (const row of rows as Array<{ id: number; status: string; total: number; refunded_total: number }>) {
    const [history] = await sequelize.query(
      `SELECT to_status FROM order_status_history WHERE order_id = :id AND to_status IN ('paid', 'shipped', 'completed') ORDER BY id DESC LIMIT 1`,
      { replacements: { id: row.id } },
    );
    const before = (history as Array<{ to_status: string }>)[0]?.to_status ?? 'paid';
    const to = before === 'paid' && Number(row.refunded_total) >= Number(row.total) ? 'cancelled' : before;
    await sequelize.query(`UPDATE orders SET status = :to WHERE id = :id`, { replacements: { to, id: row.id } });
    await sequelize.query(
      `INSERT INTO order_status_history (order_id, from_status, to_status, note, actor_id, created_at) VALUES (:id, :from, :to, :note, NULL, :now)`,
      { replacements: { id: row.id, from: row.status, to, note: 'Refunds are kept as records; the order keeps its fulfilment status', now: new Date() } },
    );
  }
}

/**
 * The statuses cannot be told apart again; what is undone is the schema. SQLite drops a column by copying
 * the table, which its foreign-key check refuses while other rows refer to it: the check is off meanwhile.
 */
export async function down({ context: { queryInterface: q, sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  const sqlite = sequelize.getDialect() === 'sqlite';
  if (sqlite) await sequelize.query('PRAGMA foreign_keys = OFF');
  try {
    await q.removeIndex('checkout_groups', 'checkout_groups_cart_claim_unique');
    await q.removeColumn('checkout_groups', 'cart_claim');
    await q.removeColumn('carts', 'version');
    await q.removeColumn('addresses', 'is_default');
  } finally {
    if (sqlite) await sequelize.query('PRAGMA foreign_keys = ON');
  }
}

import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * What the payment-gateway interface needs for marketplace providers (Stripe Connect):
 * - shops: the seller's payout account at the provider (filled by the provider's plugin) and whether
 *   it may receive money yet;
 * - checkout_groups: the payment attempt (the idempotency key is derived from group and attempt) and the
 *   reason a group was put in review (an amount or currency that differs from the checkout);
 * - refunds: a status of their own (requested → processing → succeeded | failed | pending), because the
 *   provider is called outside the transaction that records the intent; the actor and when it settled;
 * - payment_events: the currency, the order and the provider's reference of each event.
 * Refunds made before this migration were made in one step and are marked succeeded.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addColumn('shops', 'payout_account', { type: T.STRING(255), allowNull: true });
  await q.addColumn('shops', 'payout_enabled', { type: T.BOOLEAN, allowNull: false, defaultValue: false });
  await q.addIndex('shops', ['payout_account']);
  await q.addColumn('checkout_groups', 'attempt', { type: T.INTEGER, allowNull: false, defaultValue: 1 });
  await q.addColumn('checkout_groups', 'review_reason', { type: T.STRING(500), allowNull: true });
  await q.addIndex('checkout_groups', ['status']);
  await q.addColumn('refunds', 'status', { type: T.STRING(20), allowNull: false, defaultValue: 'succeeded' });
  await q.addColumn('refunds', 'failure', { type: T.STRING(500), allowNull: true });
  await q.addColumn('refunds', 'actor_id', { type: T.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' });
  await q.addColumn('refunds', 'settled_at', { type: T.DATE, allowNull: true });
  await q.addIndex('refunds', ['provider_ref']);
  await q.addIndex('refunds', ['order_id', 'status']);
  await q.addColumn('payment_events', 'currency', { type: T.STRING(3), allowNull: true });
  await q.addColumn('payment_events', 'order_id', { type: T.INTEGER, allowNull: true, references: { model: 'orders', key: 'id' }, onDelete: 'SET NULL' });
  await q.addColumn('payment_events', 'provider_ref', { type: T.STRING(200), allowNull: true });
}

/**
 * SQLite removes a column by copying the table and dropping the original, which its foreign-key check
 * refuses while other tables refer to the rows (orders to shops): the check is off while that runs.
 */
export async function down({ context: { queryInterface: q, sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  const sqlite = sequelize.getDialect() === 'sqlite';
  if (sqlite) await sequelize.query('PRAGMA foreign_keys = OFF');
  try {
    await removeAll(q);
  } finally {
    if (sqlite) await sequelize.query('PRAGMA foreign_keys = ON');
  }
}

async function removeAll(q: MigrationContext['queryInterface']): Promise<void> {
  for (const c of ['provider_ref', 'order_id', 'currency']) await q.removeColumn('payment_events', c);
  await q.removeIndex('refunds', ['order_id', 'status']);
  await q.removeIndex('refunds', ['provider_ref']);
  for (const c of ['settled_at', 'actor_id', 'failure', 'status']) await q.removeColumn('refunds', c);
  await q.removeIndex('checkout_groups', ['status']);
  for (const c of ['review_reason', 'attempt']) await q.removeColumn('checkout_groups', c);
  await q.removeIndex('shops', ['payout_account']);
  for (const c of ['payout_enabled', 'payout_account']) await q.removeColumn('shops', c);
}

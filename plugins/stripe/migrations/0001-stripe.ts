import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  const ts = { created_at: { type: T.DATE, allowNull: false }, updated_at: { type: T.DATE, allowNull: false } };
  await q.createTable('stripe_payments', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    group_id: { type: T.INTEGER, allowNull: false },
    reference: { type: T.STRING(40), allowNull: false },
    attempt: { type: T.INTEGER, allowNull: false },
    idempotency_key: { type: T.STRING(100), allowNull: false, unique: true },
    email: { type: T.STRING(320), allowNull: false },
    amount: { type: T.INTEGER, allowNull: false },
    currency: { type: T.STRING(3), allowNull: false },
    orders_json: { type: T.JSON, allowNull: false },
    status: { type: T.STRING(20), allowNull: false },
    session_id: { type: T.STRING(255), allowNull: true, unique: true },
    payment_intent_id: { type: T.STRING(255), allowNull: true },
    charge_id: { type: T.STRING(255), allowNull: true },
    customer_id: { type: T.STRING(255), allowNull: true },
    amount_paid: { type: T.INTEGER, allowNull: true },
    failure: { type: T.STRING(500), allowNull: true },
    return_url: { type: T.STRING(1000), allowNull: false },
    ...ts,
  });
  await q.addIndex('stripe_payments', ['group_id']);
  await q.addIndex('stripe_payments', ['payment_intent_id']);

  await q.createTable('stripe_events', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    event_id: { type: T.STRING(255), allowNull: false, unique: true },
    type: { type: T.STRING(100), allowNull: false },
    payment_id: { type: T.INTEGER, allowNull: true },
    account_row_id: { type: T.INTEGER, allowNull: true },
    result: { type: T.STRING(500), allowNull: false, defaultValue: '' },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('stripe_events', ['payment_id']);

  await q.createTable('stripe_accounts', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    shop_id: { type: T.INTEGER, allowNull: false, unique: true },
    account_id: { type: T.STRING(255), allowNull: false, unique: true },
    user_id: { type: T.INTEGER, allowNull: true },
    charges_enabled: { type: T.BOOLEAN, allowNull: false, defaultValue: false },
    payouts_enabled: { type: T.BOOLEAN, allowNull: false, defaultValue: false },
    details_submitted: { type: T.BOOLEAN, allowNull: false, defaultValue: false },
    ...ts,
  });

  await q.createTable('stripe_ledger_entries', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    entry_key: { type: T.STRING(100), allowNull: false, unique: true },
    kind: { type: T.STRING(20), allowNull: false },
    order_id: { type: T.INTEGER, allowNull: true },
    shop_id: { type: T.INTEGER, allowNull: false },
    payment_id: { type: T.INTEGER, allowNull: true },
    amount: { type: T.INTEGER, allowNull: false },
    currency: { type: T.STRING(3), allowNull: false },
    stripe_ref: { type: T.STRING(255), allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('stripe_ledger_entries', ['shop_id']);
  await q.addIndex('stripe_ledger_entries', ['order_id']);

  await q.createTable('stripe_transfers', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    order_id: { type: T.INTEGER, allowNull: false, unique: true },
    shop_id: { type: T.INTEGER, allowNull: false },
    payment_id: { type: T.INTEGER, allowNull: false },
    account_row_id: { type: T.INTEGER, allowNull: true },
    status: { type: T.STRING(20), allowNull: false },
    amount: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    currency: { type: T.STRING(3), allowNull: false },
    transfer_id: { type: T.STRING(255), allowNull: true },
    reversed: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    attempts: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    claimed_at: { type: T.DATE, allowNull: true },
    failure: { type: T.STRING(500), allowNull: true },
    ...ts,
  });
  await q.addIndex('stripe_transfers', ['shop_id']);
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  for (const table of ['stripe_transfers', 'stripe_ledger_entries', 'stripe_accounts', 'stripe_events', 'stripe_payments']) await q.dropTable(table);
}

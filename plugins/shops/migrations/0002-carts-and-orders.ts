import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  const ts = { created_at: { type: T.DATE, allowNull: false }, updated_at: { type: T.DATE, allowNull: false } };
  await q.createTable('carts', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    user_id: { type: T.INTEGER, allowNull: false, unique: true, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    /** Chosen shipping method per shop: {"<shopId>": <methodId>}. */
    shipping_choices: { type: T.TEXT, allowNull: false, defaultValue: '{}' },
    ...ts,
  });
  await q.createTable('cart_items', {
    cart_id: { type: T.INTEGER, allowNull: false, primaryKey: true, references: { model: 'carts', key: 'id' }, onDelete: 'CASCADE' },
    product_id: { type: T.INTEGER, allowNull: false, primaryKey: true, references: { model: 'products', key: 'id' }, onDelete: 'CASCADE' },
    quantity: { type: T.INTEGER, allowNull: false },
    ...ts,
  });
  await q.createTable('addresses', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    user_id: { type: T.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    name: { type: T.STRING(200), allowNull: false },
    line1: { type: T.STRING(200), allowNull: false },
    line2: { type: T.STRING(200), allowNull: false, defaultValue: '' },
    city: { type: T.STRING(100), allowNull: false },
    postcode: { type: T.STRING(20), allowNull: false },
    country: { type: T.STRING(2), allowNull: false },
    phone: { type: T.STRING(40), allowNull: false, defaultValue: '' },
    ...ts,
  });
  await q.addIndex('addresses', ['user_id']);
  await q.createTable('checkout_groups', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    reference: { type: T.STRING(40), allowNull: false, unique: true },
    buyer_id: { type: T.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    email: { type: T.STRING(320), allowNull: false },
    currency: { type: T.STRING(3), allowNull: false },
    total: { type: T.INTEGER, allowNull: false },
    gateway: { type: T.STRING(40), allowNull: false },
    payment_ref: { type: T.STRING(200), allowNull: true },
    status: { type: T.STRING(20), allowNull: false },
    ...ts,
  });
  await q.addIndex('checkout_groups', ['buyer_id']);
  await q.addIndex('checkout_groups', ['gateway', 'payment_ref']);
  await q.createTable('orders', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    number: { type: T.STRING(40), allowNull: false, unique: true },
    group_id: { type: T.INTEGER, allowNull: false, references: { model: 'checkout_groups', key: 'id' }, onDelete: 'RESTRICT' },
    shop_id: { type: T.INTEGER, allowNull: false, references: { model: 'shops', key: 'id' }, onDelete: 'RESTRICT' },
    buyer_id: { type: T.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    status: { type: T.STRING(24), allowNull: false },
    currency: { type: T.STRING(3), allowNull: false },
    subtotal: { type: T.INTEGER, allowNull: false },
    shipping_total: { type: T.INTEGER, allowNull: false },
    total: { type: T.INTEGER, allowNull: false },
    platform_fee: { type: T.INTEGER, allowNull: false },
    refunded_total: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    shipping_method: { type: T.STRING(100), allowNull: false },
    email: { type: T.STRING(320), allowNull: false },
    ship_name: { type: T.STRING(200), allowNull: false },
    ship_line1: { type: T.STRING(200), allowNull: false },
    ship_line2: { type: T.STRING(200), allowNull: false, defaultValue: '' },
    ship_city: { type: T.STRING(100), allowNull: false },
    ship_postcode: { type: T.STRING(20), allowNull: false },
    ship_country: { type: T.STRING(2), allowNull: false },
    phone: { type: T.STRING(40), allowNull: false, defaultValue: '' },
    tracking_number: { type: T.STRING(100), allowNull: true },
    paid_at: { type: T.DATE, allowNull: true },
    shipped_at: { type: T.DATE, allowNull: true },
    completed_at: { type: T.DATE, allowNull: true },
    /** Set when the buyer's identity was reduced to what an invoice needs (privacy erasure of a kept order). */
    anonymized_at: { type: T.DATE, allowNull: true },
    ...ts,
  });
  await q.addIndex('orders', ['shop_id', 'status', 'created_at']);
  await q.addIndex('orders', ['buyer_id', 'created_at']);
  await q.addIndex('orders', ['group_id']);
  await q.addIndex('orders', ['email']);
  await q.createTable('order_items', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    order_id: { type: T.INTEGER, allowNull: false, references: { model: 'orders', key: 'id' }, onDelete: 'CASCADE' },
    product_id: { type: T.INTEGER, allowNull: true, references: { model: 'products', key: 'id' }, onDelete: 'SET NULL' },
    title: { type: T.STRING(200), allowNull: false },
    unit_price: { type: T.INTEGER, allowNull: false },
    quantity: { type: T.INTEGER, allowNull: false },
    line_total: { type: T.INTEGER, allowNull: false },
  });
  await q.addIndex('order_items', ['order_id']);
  await q.createTable('order_status_history', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    order_id: { type: T.INTEGER, allowNull: false, references: { model: 'orders', key: 'id' }, onDelete: 'CASCADE' },
    from_status: { type: T.STRING(24), allowNull: true },
    to_status: { type: T.STRING(24), allowNull: false },
    note: { type: T.STRING(500), allowNull: false, defaultValue: '' },
    actor_id: { type: T.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('order_status_history', ['order_id']);
  await q.createTable('order_notes', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    order_id: { type: T.INTEGER, allowNull: false, references: { model: 'orders', key: 'id' }, onDelete: 'CASCADE' },
    author_id: { type: T.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    author_side: { type: T.STRING(10), allowNull: false },
    body: { type: T.TEXT, allowNull: false },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('order_notes', ['order_id']);
  await q.createTable('payment_events', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    gateway: { type: T.STRING(40), allowNull: false },
    event_id: { type: T.STRING(200), allowNull: false },
    group_id: { type: T.INTEGER, allowNull: true, references: { model: 'checkout_groups', key: 'id' }, onDelete: 'SET NULL' },
    action: { type: T.STRING(20), allowNull: false },
    amount: { type: T.INTEGER, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('payment_events', ['gateway', 'event_id'], { unique: true });
  await q.createTable('refunds', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    order_id: { type: T.INTEGER, allowNull: false, references: { model: 'orders', key: 'id' }, onDelete: 'CASCADE' },
    amount: { type: T.INTEGER, allowNull: false },
    idempotency_key: { type: T.STRING(100), allowNull: false, unique: true },
    provider_ref: { type: T.STRING(200), allowNull: true },
    reason: { type: T.STRING(500), allowNull: false, defaultValue: '' },
    created_at: { type: T.DATE, allowNull: false },
  });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  for (const t of ['refunds', 'payment_events', 'order_notes', 'order_status_history', 'order_items', 'orders', 'checkout_groups', 'addresses', 'cart_items', 'carts']) await q.dropTable(t);
}

import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * Issue 17, part "commerce": coupons, tax and invoices.
 *
 * - `coupons` (a shop's, or the platform's when `shop_id` is null) and `coupon_redemptions` (one per order
 *   that used one); `used_count` is claimed by a conditional update in the order's transaction.
 * - `tax_rates` (country × tax class, edited at /admin/tax), a product's `tax_class`, and on orders and their
 *   lines the discounts and the tax computed at checkout (docs/shops-tax.md).
 * - `invoice_counters` (one row per shop and kind, `next` claimed in the payment's transaction: gap-free) and
 *   `invoices` (invoices and credit notes, their rendered data kept as JSON: never rewritten).
 * - the seller's legal details on the shop.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.createTable('coupons', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    shop_id: { type: T.INTEGER, allowNull: true, references: { model: 'shops', key: 'id' }, onDelete: 'CASCADE' },
    code: { type: T.STRING(40), allowNull: false },
    description: { type: T.STRING(200), allowNull: false, defaultValue: '' },
    kind: { type: T.STRING(10), allowNull: false },
    /** Percent × 100 (1250 = 12.5%) or an amount in minor units. */
    value: { type: T.INTEGER, allowNull: false },
    currency: { type: T.STRING(3), allowNull: true },
    min_subtotal: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    starts_at: { type: T.DATE, allowNull: true },
    ends_at: { type: T.DATE, allowNull: true },
    usage_limit: { type: T.INTEGER, allowNull: true },
    per_buyer_limit: { type: T.INTEGER, allowNull: true },
    used_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    product_ids: { type: T.TEXT, allowNull: false, defaultValue: '' },
    active: { type: T.BOOLEAN, allowNull: false, defaultValue: true },
    created_at: { type: T.DATE, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });
  // Codes are unique across the marketplace: a code typed in the cart names one coupon.
  await q.addIndex('coupons', ['code'], { unique: true, name: 'coupons_code_unique' });
  await q.addIndex('coupons', ['shop_id'], { name: 'coupons_shop' });

  await q.createTable('coupon_redemptions', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    coupon_id: { type: T.INTEGER, allowNull: false, references: { model: 'coupons', key: 'id' }, onDelete: 'CASCADE' },
    order_id: { type: T.INTEGER, allowNull: false, references: { model: 'orders', key: 'id' }, onDelete: 'CASCADE' },
    group_id: { type: T.INTEGER, allowNull: false },
    buyer_id: { type: T.INTEGER, allowNull: true },
    email: { type: T.STRING(320), allowNull: false },
    amount: { type: T.INTEGER, allowNull: false },
    status: { type: T.STRING(10), allowNull: false, defaultValue: 'applied' },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('coupon_redemptions', ['coupon_id', 'status'], { name: 'coupon_redemptions_coupon' });
  await q.addIndex('coupon_redemptions', ['order_id'], { name: 'coupon_redemptions_order' });

  await q.createTable('tax_rates', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    country: { type: T.STRING(2), allowNull: false },
    tax_class: { type: T.STRING(20), allowNull: false },
    /** Percent × 100: 2000 = 20%, 550 = 5.5%. */
    rate: { type: T.INTEGER, allowNull: false },
    label: { type: T.STRING(40), allowNull: false, defaultValue: 'VAT' },
    created_at: { type: T.DATE, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('tax_rates', ['country', 'tax_class'], { unique: true, name: 'tax_rates_country_class' });

  await q.addColumn('products', 'tax_class', { type: T.STRING(20), allowNull: false, defaultValue: 'standard' });

  await q.addColumn('orders', 'discount_total', { type: T.INTEGER, allowNull: false, defaultValue: 0 });
  await q.addColumn('orders', 'platform_discount', { type: T.INTEGER, allowNull: false, defaultValue: 0 });
  await q.addColumn('orders', 'tax_total', { type: T.INTEGER, allowNull: false, defaultValue: 0 });
  await q.addColumn('orders', 'prices_include_tax', { type: T.BOOLEAN, allowNull: false, defaultValue: true });
  await q.addColumn('orders', 'shipping_tax', { type: T.INTEGER, allowNull: false, defaultValue: 0 });
  await q.addColumn('orders', 'shipping_tax_rate', { type: T.INTEGER, allowNull: false, defaultValue: 0 });
  await q.addColumn('orders', 'coupon_codes', { type: T.STRING(100), allowNull: false, defaultValue: '' });

  await q.addColumn('order_items', 'discount', { type: T.INTEGER, allowNull: false, defaultValue: 0 });
  await q.addColumn('order_items', 'tax_class', { type: T.STRING(20), allowNull: false, defaultValue: 'standard' });
  await q.addColumn('order_items', 'tax_rate', { type: T.INTEGER, allowNull: false, defaultValue: 0 });
  await q.addColumn('order_items', 'tax_amount', { type: T.INTEGER, allowNull: false, defaultValue: 0 });

  await q.addColumn('shops', 'legal_name', { type: T.STRING(200), allowNull: false, defaultValue: '' });
  await q.addColumn('shops', 'legal_address', { type: T.STRING(500), allowNull: false, defaultValue: '' });
  await q.addColumn('shops', 'vat_number', { type: T.STRING(40), allowNull: false, defaultValue: '' });

  await q.createTable('invoice_counters', {
    shop_id: { type: T.INTEGER, allowNull: false, primaryKey: true },
    kind: { type: T.STRING(12), allowNull: false, primaryKey: true },
    next: { type: T.INTEGER, allowNull: false, defaultValue: 1 },
  });

  await q.createTable('invoices', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    shop_id: { type: T.INTEGER, allowNull: false },
    order_id: { type: T.INTEGER, allowNull: false },
    refund_id: { type: T.INTEGER, allowNull: true },
    kind: { type: T.STRING(12), allowNull: false },
    sequence: { type: T.INTEGER, allowNull: false },
    number: { type: T.STRING(40), allowNull: false },
    buyer_id: { type: T.INTEGER, allowNull: true },
    currency: { type: T.STRING(3), allowNull: false },
    total: { type: T.INTEGER, allowNull: false },
    data: { type: T.TEXT, allowNull: false },
    issued_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('invoices', ['shop_id', 'kind', 'sequence'], { unique: true, name: 'invoices_shop_kind_sequence' });
  await q.addIndex('invoices', ['order_id'], { name: 'invoices_order' });
  await q.addIndex('invoices', ['refund_id'], { unique: true, name: 'invoices_refund_unique' });

  // Starting rates the admin edits at /admin/tax: the standard and reduced VAT rates of a few EU countries.
  const now = new Date();
  const rates: Array<[string, string, number]> = [
    ['FR', 'standard', 2000], ['FR', 'reduced', 550], ['FR', 'zero', 0],
    ['DE', 'standard', 1900], ['DE', 'reduced', 700], ['DE', 'zero', 0],
    ['BE', 'standard', 2100], ['BE', 'reduced', 600],
    ['ES', 'standard', 2100], ['ES', 'reduced', 1000],
    ['IT', 'standard', 2200], ['IT', 'reduced', 1000],
    ['NL', 'standard', 2100], ['NL', 'reduced', 900],
  ];
  await q.bulkInsert('tax_rates', rates.map(([country, tax_class, rate]) => ({ country, tax_class, rate, label: 'VAT', created_at: now, updated_at: now })));
}

export async function down({ context: { queryInterface: q, sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.dropTable('invoices');
  await q.dropTable('invoice_counters');
  await q.dropTable('coupon_redemptions');
  await q.dropTable('coupons');
  await q.dropTable('tax_rates');
  // Plain DROP COLUMN (see 0006): SQLite's table rebuild would lose the search triggers and indexes.
  for (const [table, column] of [
    ['shops', 'vat_number'], ['shops', 'legal_address'], ['shops', 'legal_name'],
    ['order_items', 'tax_amount'], ['order_items', 'tax_rate'], ['order_items', 'tax_class'], ['order_items', 'discount'],
    ['orders', 'coupon_codes'], ['orders', 'shipping_tax_rate'], ['orders', 'shipping_tax'], ['orders', 'prices_include_tax'], ['orders', 'tax_total'], ['orders', 'platform_discount'], ['orders', 'discount_total'],
    ['products', 'tax_class'],
  ]) {
    await sequelize.query(`ALTER TABLE ${table} DROP COLUMN ${column}`);
  }
}

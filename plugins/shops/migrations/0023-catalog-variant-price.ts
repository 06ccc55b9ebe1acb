import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * The catalog's price sort and price filter by what a buyer can pay now (issue 17, docs/shops-variants.md).
 *
 * `products.catalog_price`: for a product with enabled variants, the lowest price of those in stock (a
 * variant's own or, without one, the product's); when every one is sold out, the lowest of them all (the
 * card says "Out of stock"). Without variants, the product's price.
 *
 * It is kept by triggers, in the very statement (so the transaction) that changes what it depends on: a
 * product inserted or its price changed, a variant inserted or deleted, a variant's price, enabled flag or
 * product changed, and its stock crossing zero (the checkout's conditional update, a cancelled order's
 * restock, the variants page, a bulk edit). In one place, every writer is covered, those of every part and
 * raw SQL (the demo and bench generators) alike; a stock change that does not cross zero fires nothing.
 *
 * The price indexes keep their names (0001 `products_status_price`, 0003 `products_category_price`) and are
 * rebuilt on the column. (Not on an expression: Sequelize's SQLite describeTable cannot read an expression
 * index, and every later changeColumn on products would fail.)
 */
/** The product's catalog price, in a statement that updates `products` (its row is `products`); the same SQL on both databases. */
const PRICE_OF_ROW = `COALESCE((SELECT COALESCE(MIN(CASE WHEN v.stock IS NULL OR v.stock > 0 THEN COALESCE(v.price, products.price) END), MIN(COALESCE(v.price, products.price)))
  FROM product_variants v WHERE v.product_id = products.id AND v.enabled), products.price)`;

const STOCK_SIDE = (row: 'NEW' | 'OLD') => `(${row}.stock IS NULL OR ${row}.stock > 0)`;

const SQLITE_UP = [
  `CREATE TRIGGER shops_product_price_insert AFTER INSERT ON products
   BEGIN UPDATE products SET catalog_price = ${PRICE_OF_ROW} WHERE id = NEW.id; END`,
  // Recursive triggers are off in SQLite, and this one's own UPDATE does not touch price anyway.
  `CREATE TRIGGER shops_product_price_update AFTER UPDATE OF price ON products
   WHEN NEW.price IS NOT OLD.price
   BEGIN UPDATE products SET catalog_price = ${PRICE_OF_ROW} WHERE id = NEW.id; END`,
  `CREATE TRIGGER shops_variant_price_insert AFTER INSERT ON product_variants
   BEGIN UPDATE products SET catalog_price = ${PRICE_OF_ROW} WHERE id = NEW.product_id; END`,
  `CREATE TRIGGER shops_variant_price_delete AFTER DELETE ON product_variants
   BEGIN UPDATE products SET catalog_price = ${PRICE_OF_ROW} WHERE id = OLD.product_id; END`,
  `CREATE TRIGGER shops_variant_price_update AFTER UPDATE OF price, stock, enabled, product_id ON product_variants
   WHEN NEW.price IS NOT OLD.price OR NEW.enabled IS NOT OLD.enabled OR NEW.product_id IS NOT OLD.product_id OR ${STOCK_SIDE('NEW')} IS NOT ${STOCK_SIDE('OLD')}
   BEGIN
     UPDATE products SET catalog_price = ${PRICE_OF_ROW} WHERE id = NEW.product_id;
     UPDATE products SET catalog_price = ${PRICE_OF_ROW} WHERE id = OLD.product_id AND OLD.product_id IS NOT NEW.product_id;
   END`,
];

const POSTGRES_UP = [
  `CREATE OR REPLACE FUNCTION shops_catalog_price_of(pid integer, own integer) RETURNS integer LANGUAGE sql STABLE AS $fn$
     SELECT COALESCE(MIN(CASE WHEN v.stock IS NULL OR v.stock > 0 THEN COALESCE(v.price, own) END), MIN(COALESCE(v.price, own)), own)
     FROM product_variants v WHERE v.product_id = pid AND v.enabled
   $fn$`,
  `CREATE OR REPLACE FUNCTION shops_variant_catalog_price() RETURNS trigger LANGUAGE plpgsql AS $fn$
   BEGIN
     IF TG_OP <> 'INSERT' THEN
       UPDATE products SET catalog_price = shops_catalog_price_of(id, price) WHERE id = OLD.product_id;
     END IF;
     IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.product_id IS DISTINCT FROM OLD.product_id) THEN
       UPDATE products SET catalog_price = shops_catalog_price_of(id, price) WHERE id = NEW.product_id;
     END IF;
     RETURN NULL;
   END
   $fn$`,
  `CREATE OR REPLACE FUNCTION shops_product_catalog_price() RETURNS trigger LANGUAGE plpgsql AS $fn$
   BEGIN
     NEW.catalog_price := shops_catalog_price_of(NEW.id, NEW.price);
     RETURN NEW;
   END
   $fn$`,
  `CREATE TRIGGER shops_product_price_insert BEFORE INSERT ON products FOR EACH ROW EXECUTE FUNCTION shops_product_catalog_price()`,
  `CREATE TRIGGER shops_product_price_update BEFORE UPDATE OF price ON products FOR EACH ROW
   WHEN (NEW.price IS DISTINCT FROM OLD.price) EXECUTE FUNCTION shops_product_catalog_price()`,
  `CREATE TRIGGER shops_variant_price_change AFTER INSERT OR DELETE ON product_variants FOR EACH ROW EXECUTE FUNCTION shops_variant_catalog_price()`,
  `CREATE TRIGGER shops_variant_price_update AFTER UPDATE OF price, stock, enabled, product_id ON product_variants FOR EACH ROW
   WHEN (NEW.price IS DISTINCT FROM OLD.price OR NEW.enabled IS DISTINCT FROM OLD.enabled OR NEW.product_id IS DISTINCT FROM OLD.product_id
         OR ${STOCK_SIDE('NEW')} IS DISTINCT FROM ${STOCK_SIDE('OLD')})
   EXECUTE FUNCTION shops_variant_catalog_price()`,
];

const POSTGRES_DOWN = [
  'DROP TRIGGER IF EXISTS shops_product_price_insert ON products',
  'DROP TRIGGER IF EXISTS shops_product_price_update ON products',
  'DROP TRIGGER IF EXISTS shops_variant_price_update ON product_variants',
  'DROP TRIGGER IF EXISTS shops_variant_price_change ON product_variants',
  'DROP FUNCTION IF EXISTS shops_product_catalog_price()',
  'DROP FUNCTION IF EXISTS shops_variant_catalog_price()',
  'DROP FUNCTION IF EXISTS shops_catalog_price_of(integer, integer)',
];

const SQLITE_DOWN = ['shops_product_price_insert', 'shops_product_price_update', 'shops_variant_price_update', 'shops_variant_price_delete', 'shops_variant_price_insert'].map((t) => `DROP TRIGGER IF EXISTS ${t}`);

export async function up({ context: { queryInterface: q, sequelize, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  const postgres = sequelize.getDialect() === 'postgres';
  await q.addColumn('products', 'catalog_price', { type: T.INTEGER, allowNull: true });
  await sequelize.query(`UPDATE products SET catalog_price = ${PRICE_OF_ROW}`);
  for (const statement of postgres ? POSTGRES_UP : SQLITE_UP) await sequelize.query(statement);
  await q.removeIndex('products', 'products_status_price');
  await q.removeIndex('products', 'products_category_price');
  await q.addIndex('products', ['status', 'catalog_price', 'id'], { name: 'products_status_price' });
  await q.addIndex('products', ['category_id', 'status', 'catalog_price', 'id'], { name: 'products_category_price' });
}

export async function down({ context: { queryInterface: q, sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  const postgres = sequelize.getDialect() === 'postgres';
  for (const statement of postgres ? POSTGRES_DOWN : SQLITE_DOWN) await sequelize.query(statement);
  await q.removeIndex('products', 'products_category_price');
  await q.removeIndex('products', 'products_status_price');
  await q.addIndex('products', ['status', 'price', 'id'], { name: 'products_status_price' });
  await q.addIndex('products', ['category_id', 'status', 'price', 'id'], { name: 'products_category_price' });
  await q.removeColumn('products', 'catalog_price');
}

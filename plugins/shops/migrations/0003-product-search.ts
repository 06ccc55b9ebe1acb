import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * Full-text search over products (title, tags, description), kept in step with the rows by the database
 * itself, so bulk inserts (the bench generator, imports) are indexed too:
 * - SQLite: an FTS5 external-content table `products_fts` over `products`, maintained by triggers;
 *   the update trigger fires only when a searched column changes, so stock and status updates cost nothing.
 * - PostgreSQL: a generated `search_vector` column (weighted title A, tags B, description C) with a GIN index.
 * Both stem English words (porter / 'english'), so "mugs" finds "mug".
 *
 * Also an index for "a category, by price", which 0001 lacks: without it a category page sorted by
 * price sorts the whole category on every request.
 */
export async function up({ context: { queryInterface: q, sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  if (sequelize.getDialect() === 'postgres') {
    await sequelize.query(`
      ALTER TABLE products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(tags_text, '')), 'B') ||
        setweight(to_tsvector('english', coalesce(description, '')), 'C')
      ) STORED`);
    await sequelize.query('CREATE INDEX products_search ON products USING GIN (search_vector)');
  } else {
    await sequelize.query(`
      CREATE VIRTUAL TABLE products_fts USING fts5(
        title, tags_text, description,
        content='products', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
      )`);
    await sequelize.query(`
      CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
        INSERT INTO products_fts (rowid, title, tags_text, description) VALUES (new.id, new.title, new.tags_text, new.description);
      END`);
    await sequelize.query(`
      CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
        INSERT INTO products_fts (products_fts, rowid, title, tags_text, description) VALUES ('delete', old.id, old.title, old.tags_text, old.description);
      END`);
    await sequelize.query(`
      CREATE TRIGGER products_fts_update AFTER UPDATE OF title, tags_text, description ON products BEGIN
        INSERT INTO products_fts (products_fts, rowid, title, tags_text, description) VALUES ('delete', old.id, old.title, old.tags_text, old.description);
        INSERT INTO products_fts (rowid, title, tags_text, description) VALUES (new.id, new.title, new.tags_text, new.description);
      END`);
    // Rows that existed before this migration.
    await sequelize.query("INSERT INTO products_fts (products_fts) VALUES ('rebuild')");
  }
  await q.addIndex('products', ['category_id', 'status', 'price', 'id'], { name: 'products_category_price' });
}

export async function down({ context: { queryInterface: q, sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.removeIndex('products', 'products_category_price');
  if (sequelize.getDialect() === 'postgres') {
    await sequelize.query('DROP INDEX IF EXISTS products_search');
    await sequelize.query('ALTER TABLE products DROP COLUMN IF EXISTS search_vector');
  } else {
    for (const t of ['products_fts_insert', 'products_fts_delete', 'products_fts_update']) await sequelize.query(`DROP TRIGGER IF EXISTS ${t}`);
    await sequelize.query('DROP TABLE IF EXISTS products_fts');
  }
}

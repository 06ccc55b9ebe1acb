import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  const ts = { created_at: { type: T.DATE, allowNull: false }, updated_at: { type: T.DATE, allowNull: false } };
  await q.createTable('reviews_reviews', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    product_id: { type: T.INTEGER, allowNull: false },
    shop_id: { type: T.INTEGER, allowNull: false },
    order_id: { type: T.INTEGER, allowNull: false },
    order_item_id: { type: T.INTEGER, allowNull: false, unique: true },
    user_id: { type: T.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    rating: { type: T.INTEGER, allowNull: false },
    title: { type: T.STRING(120), allowNull: false },
    body: { type: T.TEXT, allowNull: false },
    status: { type: T.STRING(20), allowNull: false, defaultValue: 'pending' },
    verified: { type: T.BOOLEAN, allowNull: false, defaultValue: true },
    held_reason: { type: T.STRING(200), allowNull: true },
    reject_reason: { type: T.STRING(500), allowNull: true },
    moderated_by: { type: T.INTEGER, allowNull: true },
    moderated_at: { type: T.DATE, allowNull: true },
    approved_at: { type: T.DATE, allowNull: true },
    photo_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    helpful_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    report_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    anonymized_at: { type: T.DATE, allowNull: true },
    ...ts,
  });
  await q.addIndex('reviews_reviews', ['product_id', 'status', 'approved_at'], { name: 'reviews_product_status' });
  await q.addIndex('reviews_reviews', ['status', 'created_at'], { name: 'reviews_status_created' });
  await q.addIndex('reviews_reviews', ['user_id'], { name: 'reviews_user' });
  await q.addIndex('reviews_reviews', ['shop_id', 'status'], { name: 'reviews_shop_status' });

  await q.createTable('reviews_photos', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    review_id: { type: T.INTEGER, allowNull: false, references: { model: 'reviews_reviews', key: 'id' }, onDelete: 'CASCADE' },
    file_id: { type: T.STRING(64), allowNull: false },
    thumb_file_id: { type: T.STRING(64), allowNull: false },
    position: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('reviews_photos', ['review_id', 'position'], { name: 'reviews_photos_review' });

  await q.createTable('reviews_replies', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    review_id: { type: T.INTEGER, allowNull: false, unique: true, references: { model: 'reviews_reviews', key: 'id' }, onDelete: 'CASCADE' },
    shop_id: { type: T.INTEGER, allowNull: false },
    user_id: { type: T.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    body: { type: T.TEXT, allowNull: false },
    status: { type: T.STRING(20), allowNull: false, defaultValue: 'pending' },
    reject_reason: { type: T.STRING(500), allowNull: true },
    moderated_at: { type: T.DATE, allowNull: true },
    ...ts,
  });
  await q.addIndex('reviews_replies', ['status', 'created_at'], { name: 'reviews_replies_status' });
  await q.addIndex('reviews_replies', ['user_id'], { name: 'reviews_replies_user' });

  await q.createTable('reviews_votes', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    review_id: { type: T.INTEGER, allowNull: false, references: { model: 'reviews_reviews', key: 'id' }, onDelete: 'CASCADE' },
    user_id: { type: T.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('reviews_votes', ['review_id', 'user_id'], { name: 'reviews_votes_once', unique: true });
  await q.addIndex('reviews_votes', ['user_id'], { name: 'reviews_votes_user' });

  await q.createTable('reviews_reports', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    review_id: { type: T.INTEGER, allowNull: false, references: { model: 'reviews_reviews', key: 'id' }, onDelete: 'CASCADE' },
    user_id: { type: T.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    reason: { type: T.STRING(20), allowNull: false },
    note: { type: T.STRING(500), allowNull: false, defaultValue: '' },
    status: { type: T.STRING(20), allowNull: false, defaultValue: 'open' },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('reviews_reports', ['review_id', 'user_id'], { name: 'reviews_reports_once', unique: true });
  await q.addIndex('reviews_reports', ['status', 'review_id'], { name: 'reviews_reports_status' });
  await q.addIndex('reviews_reports', ['user_id'], { name: 'reviews_reports_user' });

  // The approved reviews of each product, counted as they are approved (in the approval's transaction).
  await q.createTable('reviews_product_ratings', {
    product_id: { type: T.INTEGER, primaryKey: true },
    shop_id: { type: T.INTEGER, allowNull: false },
    review_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    star_total: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    star_1: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    star_2: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    star_3: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    star_4: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    star_5: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
  });
  await q.addIndex('reviews_product_ratings', ['shop_id'], { name: 'reviews_product_ratings_shop' });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  for (const table of ['reviews_product_ratings', 'reviews_reports', 'reviews_votes', 'reviews_replies', 'reviews_photos', 'reviews_reviews']) await q.dropTable(table);
}

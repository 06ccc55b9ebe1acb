import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

// Shop and product ids are not foreign keys: they belong to the shops plugin's tables, which follows reads
// only through its service. Person ids are (users is core's): a deleted account takes its rows with it.
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  const user = { type: T.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' };
  await q.createTable('follows_follows', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    user_id: user,
    shop_id: { type: T.INTEGER, allowNull: false },
    email_enabled: { type: T.BOOLEAN, allowNull: false, defaultValue: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('follows_follows', ['user_id', 'shop_id'], { unique: true });
  await q.addIndex('follows_follows', ['shop_id', 'id']);

  await q.createTable('follows_preferences', {
    user_id: { ...user, primaryKey: true },
    email_enabled: { type: T.BOOLEAN, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });

  await q.createTable('follows_events', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    event_key: { type: T.STRING(120), allowNull: false, unique: true },
    kind: { type: T.STRING(20), allowNull: false },
    audience: { type: T.STRING(20), allowNull: false, defaultValue: 'followers' },
    shop_id: { type: T.INTEGER, allowNull: false },
    product_id: { type: T.INTEGER, allowNull: false },
    title: { type: T.STRING(200), allowNull: false },
    url: { type: T.STRING(300), allowNull: false },
    image_url: { type: T.STRING(300), allowNull: true },
    price: { type: T.INTEGER, allowNull: false },
    previous_price: { type: T.INTEGER, allowNull: true },
    currency: { type: T.STRING(3), allowNull: false },
    follower_limit: { type: T.INTEGER, allowNull: false },
    fanout_cursor: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    fanned_out_at: { type: T.DATE, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
  });

  await q.createTable('follows_notifications', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    event_id: { type: T.INTEGER, allowNull: false, references: { model: 'follows_events', key: 'id' }, onDelete: 'CASCADE' },
    user_id: user,
    shop_id: { type: T.INTEGER, allowNull: false },
    email_status: { type: T.STRING(10), allowNull: false },
    digest_id: { type: T.INTEGER, allowNull: true },
    read_at: { type: T.DATE, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('follows_notifications', ['event_id', 'user_id'], { unique: true });
  await q.addIndex('follows_notifications', ['user_id', 'read_at']);
  await q.addIndex('follows_notifications', ['shop_id', 'email_status']);

  await q.createTable('follows_digests', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    shop_id: { type: T.INTEGER, allowNull: false },
    open_key: { type: T.STRING(40), allowNull: true, unique: true },
    status: { type: T.STRING(10), allowNull: false },
    due_at: { type: T.DATE, allowNull: false },
    sent_at: { type: T.DATE, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await favourites(q, T);
}

// Favourites (the heart on a product): counted for the seller, never listed.
async function favourites(q: MigrationContext['queryInterface'], T: MigrationContext['DataTypes']): Promise<void> {
  await q.createTable('follows_favourites', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    user_id: { type: T.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    product_id: { type: T.INTEGER, allowNull: false },
    shop_id: { type: T.INTEGER, allowNull: false },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('follows_favourites', ['user_id', 'product_id'], { unique: true });
  await q.addIndex('follows_favourites', ['product_id', 'id']);
  await q.addIndex('follows_favourites', ['shop_id']);
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  for (const table of ['follows_favourites', 'follows_digests', 'follows_notifications', 'follows_events', 'follows_preferences', 'follows_follows']) await q.dropTable(table);
}

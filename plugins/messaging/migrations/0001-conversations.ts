import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * Conversations (support tickets), their messages and attachments, reports of abuse, sanctions and the log of
 * admins' readings. Shops' ids (shop, product, order) carry no foreign key: shops is another plugin, and a
 * thread outlives a deleted product. People's ids are set to null when their account goes.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  const person = (allowNull = true) => ({ type: T.INTEGER, allowNull, references: { model: 'users', key: 'id' }, onDelete: allowNull ? 'SET NULL' : 'CASCADE' });
  await q.createTable('messaging_conversations', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    kind: { type: T.STRING(10), allowNull: false },
    shop_id: { type: T.INTEGER, allowNull: true },
    product_id: { type: T.INTEGER, allowNull: true },
    order_id: { type: T.INTEGER, allowNull: true },
    buyer_id: person(),
    starter_id: person(),
    guest_name: { type: T.STRING(100), allowNull: true },
    guest_email: { type: T.STRING(320), allowNull: true },
    subject: { type: T.STRING(200), allowNull: false },
    status: { type: T.STRING(20), allowNull: false },
    held: { type: T.BOOLEAN, allowNull: false, defaultValue: false },
    buyer_unread: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    seller_unread: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    submission_key: { type: T.STRING(64), allowNull: false, unique: true },
    last_message_at: { type: T.DATE, allowNull: false },
    created_at: { type: T.DATE, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('messaging_conversations', ['buyer_id']);
  await q.addIndex('messaging_conversations', ['shop_id']);
  await q.addIndex('messaging_conversations', ['starter_id', 'created_at']);
  await q.addIndex('messaging_conversations', ['kind', 'status']);

  await q.createTable('messaging_messages', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    conversation_id: { type: T.INTEGER, allowNull: false, references: { model: 'messaging_conversations', key: 'id' }, onDelete: 'CASCADE' },
    author_id: person(),
    author_side: { type: T.STRING(10), allowNull: false },
    body: { type: T.TEXT, allowNull: false },
    removed: { type: T.BOOLEAN, allowNull: false, defaultValue: false },
    submission_key: { type: T.STRING(64), allowNull: false, unique: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('messaging_messages', ['conversation_id', 'created_at']);
  await q.addIndex('messaging_messages', ['author_id']);

  await q.createTable('messaging_attachments', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    message_id: { type: T.INTEGER, allowNull: false, references: { model: 'messaging_messages', key: 'id' }, onDelete: 'CASCADE' },
    conversation_id: { type: T.INTEGER, allowNull: false },
    file_id: { type: T.UUID, allowNull: false, unique: true },
    name: { type: T.STRING(200), allowNull: false },
    type: { type: T.STRING(100), allowNull: false },
    size: { type: T.INTEGER, allowNull: false },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('messaging_attachments', ['message_id']);
  await q.addIndex('messaging_attachments', ['conversation_id']);

  await q.createTable('messaging_reports', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    conversation_id: { type: T.INTEGER, allowNull: true, references: { model: 'messaging_conversations', key: 'id' }, onDelete: 'SET NULL' },
    reporter_id: person(),
    reported_user_id: person(),
    reason: { type: T.STRING(20), allowNull: false },
    note: { type: T.TEXT, allowNull: true },
    status: { type: T.STRING(20), allowNull: false },
    resolved_by: person(),
    resolved_at: { type: T.DATE, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('messaging_reports', ['conversation_id', 'reporter_id'], { unique: true });
  await q.addIndex('messaging_reports', ['status']);

  await q.createTable('messaging_sanctions', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    user_id: person(false),
    kind: { type: T.STRING(20), allowNull: false },
    reason: { type: T.TEXT, allowNull: false },
    report_id: { type: T.INTEGER, allowNull: true },
    created_by: person(),
    created_at: { type: T.DATE, allowNull: false },
    lifted_at: { type: T.DATE, allowNull: true },
  });
  await q.addIndex('messaging_sanctions', ['user_id']);

  await q.createTable('messaging_admin_reads', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    conversation_id: { type: T.INTEGER, allowNull: false, references: { model: 'messaging_conversations', key: 'id' }, onDelete: 'CASCADE' },
    admin_id: person(),
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('messaging_admin_reads', ['conversation_id']);
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  for (const table of ['messaging_admin_reads', 'messaging_sanctions', 'messaging_reports', 'messaging_attachments', 'messaging_messages', 'messaging_conversations']) await q.dropTable(table);
}

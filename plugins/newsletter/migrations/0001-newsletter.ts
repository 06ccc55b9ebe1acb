import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.createTable('newsletter_subscribers', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    email: { type: T.STRING(320), allowNull: true, unique: true },
    email_hash: { type: T.STRING(64), allowNull: false, unique: true },
    user_id: { type: T.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    status: { type: T.STRING(20), allowNull: false },
    source: { type: T.STRING(20), allowNull: false },
    confirm_nonce: { type: T.STRING(64), allowNull: true },
    consented_at: { type: T.DATE, allowNull: false },
    confirmed_at: { type: T.DATE, allowNull: true },
    unsubscribed_at: { type: T.DATE, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('newsletter_subscribers', ['status']);
  await q.addIndex('newsletter_subscribers', ['user_id']);

  await q.createTable('newsletter_events', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    subscriber_id: { type: T.INTEGER, allowNull: false, references: { model: 'newsletter_subscribers', key: 'id' }, onDelete: 'CASCADE' },
    kind: { type: T.STRING(20), allowNull: false },
    how: { type: T.STRING(100), allowNull: false },
    ip: { type: T.STRING(64), allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('newsletter_events', ['subscriber_id']);

  await q.createTable('newsletter_suppressions', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    address_hash: { type: T.STRING(64), allowNull: false, unique: true },
    reason: { type: T.STRING(20), allowNull: false },
    created_at: { type: T.DATE, allowNull: false },
  });

  await q.createTable('newsletter_campaigns', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    subject: { type: T.STRING(200), allowNull: false },
    body: { type: T.TEXT, allowNull: false },
    status: { type: T.STRING(20), allowNull: false, defaultValue: 'draft' },
    created_by: { type: T.INTEGER, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    total: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    sent_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    skipped_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    batches: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    started_at: { type: T.DATE, allowNull: true },
    finished_at: { type: T.DATE, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });

  await q.createTable('newsletter_deliveries', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    campaign_id: { type: T.INTEGER, allowNull: false, references: { model: 'newsletter_campaigns', key: 'id' }, onDelete: 'CASCADE' },
    subscriber_id: { type: T.INTEGER, allowNull: false, references: { model: 'newsletter_subscribers', key: 'id' }, onDelete: 'CASCADE' },
    status: { type: T.STRING(20), allowNull: false },
    outbox_id: { type: T.INTEGER, allowNull: true },
    sent_at: { type: T.DATE, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('newsletter_deliveries', ['campaign_id', 'subscriber_id'], { unique: true });
  await q.addIndex('newsletter_deliveries', ['campaign_id', 'status']);
  await q.addIndex('newsletter_deliveries', ['subscriber_id']);
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.dropTable('newsletter_deliveries');
  await q.dropTable('newsletter_campaigns');
  await q.dropTable('newsletter_suppressions');
  await q.dropTable('newsletter_events');
  await q.dropTable('newsletter_subscribers');
}

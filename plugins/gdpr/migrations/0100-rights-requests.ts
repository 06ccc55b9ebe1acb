import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/** gdpr part 2: the register of rights requests and its history, retention sweep runs, and breaches. */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.createTable('gdpr_rights_requests', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    kind: { type: T.STRING(20), allowNull: false },
    email: { type: T.STRING(254), allowNull: false },
    email_hash: { type: T.STRING(64), allowNull: false },
    user_id: { type: T.INTEGER, allowNull: true },
    source: { type: T.STRING(10), allowNull: false },
    status: { type: T.STRING(30), allowNull: false },
    token_hash: { type: T.STRING(64), allowNull: true, unique: true },
    token_expires_at: { type: T.DATE, allowNull: true },
    pending_key: { type: T.STRING(100), allowNull: true, unique: true },
    received_at: { type: T.DATE, allowNull: false },
    verified_at: { type: T.DATE, allowNull: true },
    due_at: { type: T.DATE, allowNull: true },
    extended_months: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    extension_reason: { type: T.TEXT, allowNull: true },
    decided_at: { type: T.DATE, allowNull: true },
    decided_by: { type: T.INTEGER, allowNull: true },
    reject_reason: { type: T.TEXT, allowNull: true },
    completed_at: { type: T.DATE, allowNull: true },
    details: { type: T.TEXT, allowNull: true },
    report: { type: T.TEXT, allowNull: true },
    file_id: { type: T.STRING(64), allowNull: true },
    download_token_hash: { type: T.STRING(64), allowNull: true, unique: true },
    download_expires_at: { type: T.DATE, allowNull: true },
    downloaded_at: { type: T.DATE, allowNull: true },
    erased_at: { type: T.DATE, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('gdpr_rights_requests', ['email_hash']);
  await q.addIndex('gdpr_rights_requests', ['status', 'due_at']);
  await q.addIndex('gdpr_rights_requests', ['user_id']);

  await q.createTable('gdpr_rights_request_events', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    request_id: { type: T.INTEGER, allowNull: false },
    action: { type: T.STRING(30), allowNull: false },
    from_status: { type: T.STRING(30), allowNull: true },
    to_status: { type: T.STRING(30), allowNull: false },
    note: { type: T.TEXT, allowNull: true },
    actor_id: { type: T.INTEGER, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('gdpr_rights_request_events', ['request_id']);

  await q.createTable('gdpr_retention_runs', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    dry_run: { type: T.BOOLEAN, allowNull: false },
    trigger: { type: T.STRING(10), allowNull: false },
    actor_id: { type: T.INTEGER, allowNull: true },
    started_at: { type: T.DATE, allowNull: false },
    finished_at: { type: T.DATE, allowNull: true },
    report: { type: T.TEXT, allowNull: true },
  });

  await q.createTable('gdpr_breaches', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    title: { type: T.STRING(200), allowNull: false },
    description: { type: T.TEXT, allowNull: false },
    discovered_at: { type: T.DATE, allowNull: false },
    people_affected: { type: T.INTEGER, allowNull: false },
    data_affected: { type: T.TEXT, allowNull: false },
    measures: { type: T.TEXT, allowNull: false },
    notified_at: { type: T.DATE, allowNull: true },
    authority_reference: { type: T.STRING(200), allowNull: true },
    users_notified_at: { type: T.DATE, allowNull: true },
    users_notified_count: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    created_by: { type: T.INTEGER, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.dropTable('gdpr_breaches');
  await q.dropTable('gdpr_retention_runs');
  await q.dropTable('gdpr_rights_request_events');
  await q.dropTable('gdpr_rights_requests');
}

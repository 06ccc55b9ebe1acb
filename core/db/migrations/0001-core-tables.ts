import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '../migrator';

export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.createTable('options', {
    key: { type: T.STRING(190), primaryKey: true },
    value: { type: T.TEXT, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });
  await q.createTable('plugin_states', {
    name: { type: T.STRING(100), primaryKey: true },
    status: { type: T.STRING(20), allowNull: false },
    version: { type: T.STRING(40), allowNull: false },
    source: { type: T.STRING(20), allowNull: false },
    suspended_reason: { type: T.TEXT, allowNull: true },
    updated_at: { type: T.DATE, allowNull: false },
  });
  await q.createTable('jobs', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    name: { type: T.STRING(120), allowNull: false },
    payload: { type: T.TEXT, allowNull: false },
    status: { type: T.STRING(20), allowNull: false },
    attempts: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    max_attempts: { type: T.INTEGER, allowNull: false, defaultValue: 5 },
    run_at: { type: T.DATE, allowNull: false },
    locked_at: { type: T.DATE, allowNull: true },
    last_error: { type: T.TEXT, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('jobs', ['status', 'run_at']);
  await q.createTable('outbox', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    to_address: { type: T.STRING(320), allowNull: false },
    subject: { type: T.STRING(500), allowNull: false },
    text_body: { type: T.TEXT, allowNull: false },
    html_body: { type: T.TEXT, allowNull: true },
    status: { type: T.STRING(20), allowNull: false },
    error: { type: T.TEXT, allowNull: true },
    sent_at: { type: T.DATE, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('outbox', ['to_address']);
  await q.createTable('sessions', {
    sid: { type: T.STRING(64), primaryKey: true },
    expires: { type: T.DATE, allowNull: true },
    data: { type: T.TEXT, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('sessions', ['expires']);
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  for (const table of ['sessions', 'outbox', 'jobs', 'plugin_states', 'options']) await q.dropTable(table);
}

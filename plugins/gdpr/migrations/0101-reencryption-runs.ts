import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * Re-encryptions of the encrypted personal fields with the current data key, started from
 * /admin/privacy/security. `active` is 1 while one is queued or running and NULL after: its unique index lets
 * only one be under way, whoever presses the button at the same moment.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.createTable('gdpr_reencryption_runs', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    status: { type: T.STRING(10), allowNull: false },
    active: { type: T.INTEGER, allowNull: true },
    key_id: { type: T.STRING(16), allowNull: false },
    actor_id: { type: T.INTEGER, allowNull: true },
    requested_at: { type: T.DATE, allowNull: false },
    started_at: { type: T.DATE, allowNull: true },
    finished_at: { type: T.DATE, allowNull: true },
    total: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    report: { type: T.TEXT, allowNull: true },
    error: { type: T.STRING(500), allowNull: true },
  });
  await q.addIndex('gdpr_reencryption_runs', ['active'], { unique: true, name: 'gdpr_reencryption_runs_one_active' });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.dropTable('gdpr_reencryption_runs');
}

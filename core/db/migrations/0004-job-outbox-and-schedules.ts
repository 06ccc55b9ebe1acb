import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '../migrator';

/**
 * Jobs that cannot be lost or doubled:
 * - `jobs.dedupe_key`: an enqueue with a key already used returns that job instead of adding one;
 * - `job_outbox`: on Redis, a job enqueued in a transaction is written here with the change and handed to
 *   BullMQ after the commit; a relay hands on what a crash left behind. A row with a dedupe key stays (as
 *   handed) for the dedupe window, so a late duplicate is still recognised;
 * - `job_schedules`: a recurring job's next due time, claimed by one instance with a conditional UPDATE.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addColumn('jobs', 'dedupe_key', { type: T.STRING(255), allowNull: true });
  await q.addIndex('jobs', ['dedupe_key'], { unique: true, name: 'jobs_dedupe_key_unique' });
  await q.createTable('job_outbox', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    // The BullMQ job id, chosen at enqueue: unique across databases that share one Redis.
    job_id: { type: T.STRING(64), allowNull: false },
    name: { type: T.STRING(120), allowNull: false },
    payload: { type: T.TEXT, allowNull: false },
    dedupe_key: { type: T.STRING(255), allowNull: true },
    max_attempts: { type: T.INTEGER, allowNull: false, defaultValue: 5 },
    run_at: { type: T.DATE, allowNull: false },
    handed_at: { type: T.DATE, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('job_outbox', ['dedupe_key'], { unique: true, name: 'job_outbox_dedupe_key_unique' });
  await q.addIndex('job_outbox', ['handed_at', 'created_at']);
  await q.createTable('job_schedules', {
    name: { type: T.STRING(120), primaryKey: true },
    owner: { type: T.STRING(100), allowNull: false },
    cron: { type: T.STRING(120), allowNull: false },
    next_run_at: { type: T.DATE, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.dropTable('job_schedules');
  await q.dropTable('job_outbox');
  await q.removeIndex('jobs', 'jobs_dedupe_key_unique');
  await q.removeColumn('jobs', 'dedupe_key');
}

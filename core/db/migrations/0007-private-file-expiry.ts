import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '../migrator';

/**
 * A private file may be temporary (a picture kept for a form that was refused): `expires_at` says when it may
 * be swept (`ctx.files.private.removeExpired()`); null keeps it until its plugin removes it.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addColumn('private_files', 'expires_at', { type: T.DATE, allowNull: true });
  await q.addIndex('private_files', ['owner', 'expires_at']);
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.removeIndex('private_files', ['owner', 'expires_at']);
  await q.removeColumn('private_files', 'expires_at');
}

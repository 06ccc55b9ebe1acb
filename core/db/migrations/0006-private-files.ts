import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '../migrator';

/**
 * Private files (messaging attachments, exports, photos awaiting approval): the bytes live under
 * DATA_DIR/private/<owner>/<id>, outside /uploads; this row names the plugin that owns each one, so a
 * plugin can reach only its own files and its files go when it is uninstalled.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.createTable('private_files', {
    id: { type: T.UUID, primaryKey: true, allowNull: false },
    owner: { type: T.STRING(64), allowNull: false },
    name: { type: T.STRING(255), allowNull: false },
    type: { type: T.STRING(100), allowNull: false },
    size: { type: T.INTEGER, allowNull: false },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('private_files', ['owner']);
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.dropTable('private_files');
}

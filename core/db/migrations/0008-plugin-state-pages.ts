import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '../migrator';

/**
 * The addresses an active plugin served (JSON of Express path patterns, core/plugins/plugin-pages.ts), kept with
 * its state so that after a restart a deactivated or suspended plugin's pages still answer 503, not 404.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addColumn('plugin_states', 'pages', { type: T.TEXT, allowNull: true });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.removeColumn('plugin_states', 'pages');
}

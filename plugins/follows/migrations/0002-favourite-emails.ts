import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

// Favourites are told by email too (a discount, back in stock): a person's own switch for those emails,
// beside the all-emails one. No row, or true: on.
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addColumn('follows_preferences', 'favourites_email_enabled', { type: T.BOOLEAN, allowNull: false, defaultValue: true });
}

export async function down({ context: { sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  // Plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): Sequelize's SQLite removeColumn rebuilds the table and its keys.
  await sequelize.query('ALTER TABLE follows_preferences DROP COLUMN favourites_email_enabled');
}

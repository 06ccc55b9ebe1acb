import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '../migrator';

/**
 * Single-use tokens (password reset) stored as hashes, and a per-user session version: bumping it logs
 * the person out of every session (after a password reset, say), whatever store holds the sessions.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.createTable('auth_tokens', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    user_id: { type: T.INTEGER, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    purpose: { type: T.STRING(20), allowNull: false },
    token_hash: { type: T.STRING(64), allowNull: false, unique: true },
    expires_at: { type: T.DATE, allowNull: false },
    used_at: { type: T.DATE, allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('auth_tokens', ['user_id', 'purpose']);
  await q.addColumn('users', 'session_version', { type: T.INTEGER, allowNull: false, defaultValue: 0 });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.removeColumn('users', 'session_version');
  await q.dropTable('auth_tokens');
}

import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '../migrator';

export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.createTable('users', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    username: { type: T.STRING(40), allowNull: false, unique: true },
    email: { type: T.STRING(320), allowNull: false, unique: true },
    first_name: { type: T.STRING(100), allowNull: false },
    last_name: { type: T.STRING(100), allowNull: false },
    display_name: { type: T.STRING(100), allowNull: false },
    password_hash: { type: T.STRING(255), allowNull: false },
    birth_date: { type: T.DATEONLY, allowNull: true },
    guardian_confirmed: { type: T.BOOLEAN, allowNull: false, defaultValue: false },
    role: { type: T.STRING(20), allowNull: false, defaultValue: 'customer' },
    email_verified_at: { type: T.DATE, allowNull: true },
    pending_email: { type: T.STRING(320), allowNull: true },
    created_at: { type: T.DATE, allowNull: false },
    updated_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('users', ['role']);
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.dropTable('users');
}

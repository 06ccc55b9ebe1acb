import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '../migrator';

/**
 * Mail that plugins can shape and stop: each outbox row keeps the headers it is sent with (List-Unsubscribe,
 * as JSON), its category (transactional or marketing), the recipient's user id when the mail is for an
 * account, and, for a message a `core.email.message` filter cancelled, why and which plugin did it.
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addColumn('outbox', 'headers', { type: T.TEXT, allowNull: true });
  await q.addColumn('outbox', 'category', { type: T.STRING(20), allowNull: false, defaultValue: 'transactional' });
  // No foreign key: a row outlives nothing it needs from the user, and the account eraser removes the rows.
  await q.addColumn('outbox', 'user_id', { type: T.INTEGER, allowNull: true });
  await q.addColumn('outbox', 'cancel_reason', { type: T.TEXT, allowNull: true });
  await q.addColumn('outbox', 'cancelled_by', { type: T.STRING(100), allowNull: true });
  await q.addIndex('outbox', ['user_id']);
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.removeIndex('outbox', ['user_id']);
  for (const column of ['cancelled_by', 'cancel_reason', 'user_id', 'category', 'headers']) await q.removeColumn('outbox', column);
}

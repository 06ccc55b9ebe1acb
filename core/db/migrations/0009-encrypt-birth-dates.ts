import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '../migrator';
import { decryptColumns, encryptColumns } from '../../privacy/encryption/column-migration';

/** Dates of birth are encrypted at rest (issue 14, security of processing): TEXT on PostgreSQL, every row encrypted. */
export async function up({ context: { sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  await encryptColumns(sequelize, 'users', ['birth_date']);
}

export async function down({ context: { sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  await decryptColumns(sequelize, 'users', { birth_date: 'DATE' });
}

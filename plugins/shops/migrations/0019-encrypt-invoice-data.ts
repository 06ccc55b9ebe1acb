import { decryptColumns, encryptColumns, type MigrationContext } from '@agora/core';
import type { MigrationParams } from 'umzug';

/**
 * Invoices' and credit notes' issued data (the buyer's billing name and address among it) is encrypted at rest
 * (issue 14, security of processing). The text inside is not changed: an issued invoice is never rewritten.
 */
export async function up({ context: { sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  await encryptColumns(sequelize, 'invoices', ['data']);
}

export async function down({ context: { sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  await decryptColumns(sequelize, 'invoices', { data: 'TEXT' });
}

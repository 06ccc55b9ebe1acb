import { decryptColumns, encryptColumns, type MigrationContext } from '@agora/core';
import type { MigrationParams } from 'umzug';

/**
 * Street, town, postcode and phone of saved addresses and of orders' delivery snapshots are encrypted at rest
 * (issue 14, security of processing): TEXT on PostgreSQL, every existing row encrypted with the current data key.
 * Names and countries stay plain (orders are searched by the buyer's name; countries are in queries).
 */
export async function up({ context: { sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  await encryptColumns(sequelize, 'addresses', ['line1', 'line2', 'city', 'postcode', 'phone']);
  await encryptColumns(sequelize, 'orders', ['ship_line1', 'ship_line2', 'ship_city', 'ship_postcode', 'phone']);
}

export async function down({ context: { sequelize } }: MigrationParams<MigrationContext>): Promise<void> {
  await decryptColumns(sequelize, 'orders', { ship_line1: 'VARCHAR(200)', ship_line2: 'VARCHAR(200)', ship_city: 'VARCHAR(100)', ship_postcode: 'VARCHAR(20)', phone: 'VARCHAR(40)' });
  await decryptColumns(sequelize, 'addresses', { line1: 'VARCHAR(200)', line2: 'VARCHAR(200)', city: 'VARCHAR(100)', postcode: 'VARCHAR(20)', phone: 'VARCHAR(40)' });
}

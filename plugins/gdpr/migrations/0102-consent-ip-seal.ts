import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

/**
 * The consent register's IP addresses go after their retention days (gdpr.consent-ips) while the identity
 * still verifies: from this version on, an identity's hash covers `ip_seal` (a salted SHA-256 of the IP),
 * not the IP itself, so the IP can be removed and the seal stays. `hash_version` 1 marks the rows written
 * before (their hash covers the IP: once it is removed their identity can no longer be checked).
 */
export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.addColumn('gdpr_consent_identities', 'ip_seal', { type: T.STRING(64), allowNull: true });
  await q.addColumn('gdpr_consent_identities', 'ip_removed_at', { type: T.DATE, allowNull: true });
  await q.addColumn('gdpr_consent_identities', 'hash_version', { type: T.INTEGER, allowNull: false, defaultValue: 1 });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.removeColumn('gdpr_consent_identities', 'hash_version');
  await q.removeColumn('gdpr_consent_identities', 'ip_removed_at');
  await q.removeColumn('gdpr_consent_identities', 'ip_seal');
}

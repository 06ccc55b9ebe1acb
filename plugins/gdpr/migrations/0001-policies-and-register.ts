import type { MigrationParams } from 'umzug';
import type { MigrationContext } from '@agora/core';

export async function up({ context: { queryInterface: q, DataTypes: T } }: MigrationParams<MigrationContext>): Promise<void> {
  const ts = { created_at: { type: T.DATE, allowNull: false }, updated_at: { type: T.DATE, allowNull: false } };
  await q.createTable('gdpr_policies', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    slug: { type: T.STRING(80), allowNull: false, unique: true },
    title: { type: T.STRING(200), allowNull: false },
    kind: { type: T.STRING(20), allowNull: false, defaultValue: 'custom' },
    current_version: { type: T.INTEGER, allowNull: false, defaultValue: 1 },
    position: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    reviewed_at: { type: T.DATE, allowNull: true },
    ...ts,
  });
  await q.createTable('gdpr_policy_versions', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    policy_id: { type: T.INTEGER, allowNull: false, references: { model: 'gdpr_policies', key: 'id' }, onDelete: 'CASCADE' },
    version: { type: T.INTEGER, allowNull: false },
    title: { type: T.STRING(200), allowNull: false },
    body: { type: T.TEXT, allowNull: false },
    changes: { type: T.TEXT, allowNull: false, defaultValue: '' },
    text_hash: { type: T.STRING(64), allowNull: false },
    created_at: { type: T.DATE, allowNull: false },
  });
  await q.addIndex('gdpr_policy_versions', ['policy_id', 'version'], { unique: true });
  await q.createTable('gdpr_section_policies', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    section: { type: T.STRING(100), allowNull: false },
    policy_id: { type: T.INTEGER, allowNull: false, references: { model: 'gdpr_policies', key: 'id' }, onDelete: 'CASCADE' },
    required: { type: T.BOOLEAN, allowNull: false, defaultValue: false },
    position: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    ...ts,
  });
  await q.addIndex('gdpr_section_policies', ['section', 'policy_id'], { unique: true });
  // The register: append-only, one row per acceptance or withdrawal, each holding the hash of the one before.
  await q.createTable('gdpr_consent_register', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    seq: { type: T.INTEGER, allowNull: false, unique: true },
    action: { type: T.STRING(20), allowNull: false },
    section: { type: T.STRING(100), allowNull: false },
    policy_slug: { type: T.STRING(80), allowNull: false, defaultValue: '' },
    policy_version: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    text_hash: { type: T.STRING(64), allowNull: false, defaultValue: '' },
    categories: { type: T.STRING(300), allowNull: false, defaultValue: '' },
    required: { type: T.BOOLEAN, allowNull: false, defaultValue: false },
    previous_at: { type: T.STRING(30), allowNull: false, defaultValue: '' },
    recorded_at: { type: T.STRING(30), allowNull: false },
    receipt: { type: T.STRING(32), allowNull: false, unique: true },
    identity_hash: { type: T.STRING(64), allowNull: false },
    prev_hash: { type: T.STRING(64), allowNull: false },
    hash: { type: T.STRING(64), allowNull: false },
  });
  await q.addIndex('gdpr_consent_register', ['policy_slug']);
  // Who each register row is about, kept apart so erasure can shred it without touching the chain.
  await q.createTable('gdpr_consent_identities', {
    register_id: { type: T.INTEGER, primaryKey: true, references: { model: 'gdpr_consent_register', key: 'id' }, onDelete: 'CASCADE' },
    user_id: { type: T.INTEGER, allowNull: true },
    email: { type: T.STRING(320), allowNull: true },
    display_name: { type: T.STRING(200), allowNull: true },
    ip: { type: T.STRING(64), allowNull: true },
    user_agent_hash: { type: T.STRING(64), allowNull: true },
    consent_id: { type: T.STRING(64), allowNull: true },
    salt: { type: T.STRING(64), allowNull: true },
    shredded_at: { type: T.DATE, allowNull: true },
  });
  await q.addIndex('gdpr_consent_identities', ['user_id']);
  await q.addIndex('gdpr_consent_identities', ['email']);
  await q.addIndex('gdpr_consent_identities', ['consent_id']);
  // The head of the chain: one row, locked by each append so two appends never share a predecessor.
  await q.createTable('gdpr_register_head', {
    id: { type: T.INTEGER, primaryKey: true },
    seq: { type: T.INTEGER, allowNull: false, defaultValue: 0 },
    hash: { type: T.STRING(64), allowNull: false },
  });
  await q.bulkInsert('gdpr_register_head', [{ id: 1, seq: 0, hash: '0'.repeat(64) }]);
  await q.createTable('gdpr_cookies', {
    id: { type: T.INTEGER, primaryKey: true, autoIncrement: true },
    name: { type: T.STRING(100), allowNull: false },
    provider: { type: T.STRING(200), allowNull: false },
    purpose: { type: T.STRING(500), allowNull: false },
    duration: { type: T.STRING(100), allowNull: false },
    category: { type: T.STRING(40), allowNull: false },
    ...ts,
  });
}

export async function down({ context: { queryInterface: q } }: MigrationParams<MigrationContext>): Promise<void> {
  await q.dropTable('gdpr_cookies');
  await q.dropTable('gdpr_register_head');
  await q.dropTable('gdpr_consent_identities');
  await q.dropTable('gdpr_consent_register');
  await q.dropTable('gdpr_section_policies');
  await q.dropTable('gdpr_policy_versions');
  await q.dropTable('gdpr_policies');
}

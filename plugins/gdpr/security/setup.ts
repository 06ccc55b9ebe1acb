import type { PluginContext } from '@agora/core';
import { ReencryptionRun } from './reencryption-run';
import { runReencryption } from './reencryption';
import { adminSecurityRoutes, SECURITY_CAPABILITY } from './routes';

/** Security of processing: the admin's view of encryption at rest (core's FieldEncryption) and re-encryption. */
export function setupSecurity(ctx: PluginContext): void {
  ReencryptionRun.initModel(ctx.sequelize);
  ctx.capabilities.register(SECURITY_CAPABILITY, 'See which personal fields are encrypted and re-encrypt them with the current key', ['admin']);
  ctx.jobs.define('gdpr.security.reencrypt', async ({ runId }) => runReencryption(ctx, runId));
  adminSecurityRoutes(ctx);
  ctx.admin.menu({ id: 'gdpr-security', label: 'Security of processing', href: '/admin/privacy/security', capability: SECURITY_CAPABILITY, order: 74 });
}

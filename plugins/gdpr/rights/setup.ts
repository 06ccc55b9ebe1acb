import type { PluginContext } from '@agora/core';
import { initRightsModels } from './models';
import { defineRightsSettings } from './settings';
import type { RightsDeps } from './services/deps';
import { registerRightsPrivacy } from './privacy';
import { blockMarketingAfterObjection, dropTargetingAfterObjection } from './services/objection';
import { publicRightsRoutes } from './routes/public-routes';
import { accountRightsRoutes } from './routes/account-routes';
import { adminRequestRoutes, clockCounts, REQUESTS_CAPABILITY } from './routes/admin-requests';
import { adminRetentionRoutes, RETENTION_CAPABILITY } from './routes/admin-retention';
import { adminRecordsRoutes, RECORDS_CAPABILITY } from './routes/admin-records';
import { adminBreachRoutes, breachesToNotify, BREACHES_CAPABILITY } from './routes/admin-breaches';
import { defineRightsJobs } from './jobs';
import { logCorrections } from './corrections';
import './hooks';

/** "Exercise your rights", the register of requests, export, erasure and retention (gdpr part 2). */
export async function setupRights(ctx: PluginContext): Promise<void> {
  initRightsModels(ctx.sequelize);
  const deps: RightsDeps = { ctx, settings: defineRightsSettings(ctx) };

  ctx.capabilities.register(REQUESTS_CAPABILITY, 'Handle privacy requests (access, erasure): accept, refuse, extend', ['admin']);
  ctx.capabilities.register(RETENTION_CAPABILITY, 'Set retention periods and run the retention sweep', ['admin']);
  ctx.capabilities.register(RECORDS_CAPABILITY, 'Read the record of processing activities', ['admin']);
  ctx.capabilities.register(BREACHES_CAPABILITY, 'Record personal-data breaches and their notification', ['admin']);

  registerRightsPrivacy(ctx);
  blockMarketingAfterObjection(deps);
  dropTargetingAfterObjection(deps);
  logCorrections(deps);
  publicRightsRoutes(deps);
  accountRightsRoutes(deps);
  adminRequestRoutes(deps);
  adminRetentionRoutes(deps);
  adminRecordsRoutes(deps);
  adminBreachRoutes(deps);
  defineRightsJobs(deps);

  ctx.slot('core.head', ({ template }) => (template.startsWith('gdpr/rights/') ? { html: '<link rel="stylesheet" href="/plugins/gdpr/rights.css">' } : undefined));
  ctx.admin.menu({ id: 'gdpr-requests', label: 'Privacy requests', href: '/admin/privacy/requests', capability: REQUESTS_CAPABILITY, order: 70 });
  ctx.admin.menu({ id: 'gdpr-retention', label: 'Retention', href: '/admin/privacy/retention', capability: RETENTION_CAPABILITY, order: 71 });
  ctx.admin.menu({ id: 'gdpr-records', label: 'Record of processing', href: '/admin/privacy/records', capability: RECORDS_CAPABILITY, order: 72 });
  ctx.admin.menu({ id: 'gdpr-breaches', label: 'Breaches', href: '/admin/privacy/breaches', capability: BREACHES_CAPABILITY, order: 73 });
  ctx.admin.widget({
    id: 'gdpr-requests',
    title: 'Privacy requests',
    capability: REQUESTS_CAPABILITY,
    async render() {
      const c = await clockCounts(deps);
      return ctx.render('gdpr/rights/admin/widget', { counts: c });
    },
  });
  ctx.admin.widget({
    id: 'gdpr-breaches',
    title: 'Personal-data breaches',
    capability: BREACHES_CAPABILITY,
    async render() {
      return ctx.render('gdpr/rights/admin/breach-widget', { pending: await breachesToNotify(), now: new Date() });
    },
  });
}

import type { RightsDeps } from './services/deps';
import { expireUnverified } from './services/transitions';
import { removeSpentExports } from './services/delivery';
import { runRetention } from './services/retention-sweep';

declare module '@agora/core' {
  interface JobMap {
    'gdpr.rights.housekeeping': Record<string, never>;
    'gdpr.retention.sweep': Record<string, never>;
  }
}

/**
 * Every quarter of an hour: unconfirmed requests past their link's time expire, and export archives whose
 * link was used or ran out are deleted. Every day at 03:30 UTC: the retention sweep, with its report.
 */
export function defineRightsJobs(deps: RightsDeps): void {
  const { ctx } = deps;
  ctx.jobs.define('gdpr.rights.housekeeping', async () => {
    await ctx.sequelize.transaction((tx) => expireUnverified(tx));
    await removeSpentExports(deps);
    await ctx.files.private.removeExpired();
  });
  ctx.jobs.schedule('gdpr.rights.housekeeping', '*/15 * * * *');
  ctx.jobs.define('gdpr.retention.sweep', async () => {
    await runRetention(deps, { dryRun: false, trigger: 'schedule' });
  });
  ctx.jobs.schedule('gdpr.retention.sweep', '30 3 * * *');
}

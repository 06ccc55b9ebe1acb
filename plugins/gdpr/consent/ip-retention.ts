import { Op, Sequelize } from 'sequelize';
import { retentionWhere, type PluginContext } from '@agora/core';
import { ConsentIdentity } from './models';

/**
 * The consent register keeps the IP a consent came from (truncated unless the owner keeps it whole) for a
 * month: it helps tell a forged consent from a real one while that is still likely to be asked. Then the IP
 * is removed and the row stays, with the salted seal of the IP its hash covers, so the chain and the
 * identity still verify (migration 0102). Rows of people with a pending request are left alone.
 */
export function declareConsentIpRetention(ctx: PluginContext): void {
  ctx.privacy.retention('consent-ips', {
    label: 'IP addresses in the consent register (the row, its proof and the seal of the IP stay)',
    defaultDays: 30,
    legalBasis: 'legitimate_interests',
    async apply(cutoff, transaction, scope) {
      // recorded_at is an ISO-8601 UTC text, part of the chained row: compared as text, never rewritten.
      const older = Sequelize.literal(`(SELECT id FROM gdpr_consent_register WHERE recorded_at < ${ctx.sequelize.escape(cutoff.toISOString())})`);
      const base = { ip: { [Op.ne]: null }, register_id: { [Op.in]: older } };
      const { where, held } = retentionWhere(base, scope, { user: 'user_id', email: 'email' });
      const skipped = held ? await ConsentIdentity.count({ where: held, transaction }) : 0;
      const [anonymized] = await ConsentIdentity.update({ ip: null, ip_removed_at: new Date() }, { where, transaction });
      return { removed: 0, anonymized, skipped };
    },
  });
}

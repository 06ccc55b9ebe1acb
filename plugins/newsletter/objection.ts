import { Op } from 'sequelize';
import type { PluginContext } from '@agora/core';
import type {} from '../gdpr/rights/hooks';
import { NewsletterSubscriber } from './models';
import { addressHash } from './services/addresses';
import type { Subscriptions } from './services/subscriptions';

const HOW = 'objection to marketing (privacy rights page)';

/**
 * An objection to marketing (gdpr's Art. 21 page) ends the subscription at once and puts the address on
 * the suppression list even if it never subscribed, inside the transaction that records the objection.
 */
export function listenForObjections(ctx: PluginContext, subscriptions: Subscriptions): void {
  ctx.hooks.on('gdpr.objection.recorded', async (person, transaction) => {
    await ctx.sequelize.transaction({ transaction }, async () => {
      const hash = addressHash(person.email);
      await subscriptions.suppress(hash, 'unsubscribed');
      const rows = await NewsletterSubscriber.findAll({ where: person.userId ? { [Op.or]: [{ email_hash: hash }, { user_id: person.userId }] } : { email_hash: hash } });
      for (const row of rows) await subscriptions.unsubscribe(row.email_hash, HOW, null);
    });
  });
}

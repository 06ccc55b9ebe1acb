import { Op } from 'sequelize';
import type { PluginContext } from '@agora/core';
import { NewsletterEvent, NewsletterSubscriber } from './models';

/**
 * The history of a subscription (signed up, link sent, confirmed, unsubscribed) is the proof of consent and
 * stays; the IP each change came from is kept a month and then removed from it. A person with a pending
 * request keeps theirs until it is answered.
 */
export function declareNewsletterIpRetention(ctx: PluginContext): void {
  ctx.privacy.retention('event-ips', {
    label: 'IP addresses in the history of newsletter subscriptions (the history stays)',
    defaultDays: 30,
    legalBasis: 'legitimate_interests',
    async apply(cutoff, transaction, scope) {
      const users = scope?.restrictedUserIds ?? [];
      const emails = scope?.restrictedEmails ?? [];
      const restricted = users.length || emails.length
        ? (await NewsletterSubscriber.findAll({ where: { [Op.or]: [{ user_id: [...users] }, { email: [...emails] }] }, attributes: ['id'], transaction })).map((s) => s.id)
        : [];
      const base = { ip: { [Op.ne]: null }, created_at: { [Op.lt]: cutoff } };
      const skipped = restricted.length ? await NewsletterEvent.count({ where: { ...base, subscriber_id: restricted }, transaction }) : 0;
      const where = restricted.length ? { ...base, subscriber_id: { [Op.notIn]: restricted } } : base;
      const [anonymized] = await NewsletterEvent.update({ ip: null }, { where, transaction });
      return { removed: 0, anonymized, skipped };
    },
  });
}

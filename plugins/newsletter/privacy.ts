import { Op, type Transaction, type WhereOptions } from 'sequelize';
import { retentionWhere, type Person, type PluginContext } from '@agora/core';
import { NewsletterDelivery, NewsletterEvent, NewsletterSubscriber } from './models';
import { addressHash } from './services/addresses';
import type { Subscriptions } from './services/subscriptions';
import type { NewsletterSettings } from './settings';

const covers = { NewsletterSubscriber: ['email'], NewsletterEvent: ['ip'] };

const ofPerson = (person: Person): WhereOptions<NewsletterSubscriber> =>
  person.userId ? { [Op.or]: [{ email_hash: addressHash(person.email) }, { user_id: person.userId }] } : { email_hash: addressHash(person.email) };

/** Removes subscribers and everything hanging off them (their record and their place in campaigns). */
async function removeSubscribers(ids: number[], transaction?: Transaction): Promise<void> {
  if (!ids.length) return;
  await NewsletterDelivery.destroy({ where: { subscriber_id: ids }, transaction });
  await NewsletterEvent.destroy({ where: { subscriber_id: ids }, transaction });
  await NewsletterSubscriber.destroy({ where: { id: ids }, transaction });
}

export function registerNewsletterPrivacy(ctx: PluginContext, subscriptions: Subscriptions, settings: () => NewsletterSettings): void {
  ctx.privacy.exporter({
    name: 'newsletter',
    covers,
    async exportPage(person) {
      const subscribers = await NewsletterSubscriber.findAll({ where: ofPerson(person), order: [['id', 'ASC']] });
      const items = [];
      for (const s of subscribers) {
        items.push({
          group: 'Newsletter subscription',
          id: s.id,
          data: { email: s.email, status: s.status, source: s.source, consented_at: s.consented_at, confirmed_at: s.confirmed_at, unsubscribed_at: s.unsubscribed_at, created_at: s.created_at },
        });
        const events = await NewsletterEvent.findAll({ where: { subscriber_id: s.id }, order: [['id', 'ASC']] });
        for (const e of events) items.push({ group: 'Newsletter subscription history', id: e.id, data: { what: e.kind, how: e.how, ip: e.ip, at: e.created_at } });
      }
      return { items, done: true };
    },
  });

  ctx.privacy.eraser({
    name: 'newsletter',
    covers,
    async erasePage(person) {
      return ctx.sequelize.transaction(async () => {
        const subscribers = await NewsletterSubscriber.findAll({ where: ofPerson(person) });
        if (!subscribers.length) return { removed: [], anonymized: [], retained: [], done: true };
        // Erased addresses are never mailed again: only their hash stays, on the suppression list.
        for (const s of subscribers) await subscriptions.suppress(s.email_hash, 'erased');
        const events = await NewsletterEvent.count({ where: { subscriber_id: subscribers.map((s) => s.id) } });
        await removeSubscribers(subscribers.map((s) => s.id));
        return {
          removed: [`${subscribers.length} newsletter subscription${subscribers.length === 1 ? '' : 's'}`, `${events} entries of the subscription history (dates, how, IP addresses)`],
          anonymized: [],
          retained: [
            {
              what: 'A one-way hash of the email address on the newsletter suppression list (not the address itself)',
              reason: 'So that the address is never sent the newsletter again, also if someone else signs it up; it cannot be turned back into the address',
            },
          ],
          done: true,
        };
      });
    },
  });

  ctx.privacy.retention('unconfirmed', {
    label: 'Newsletter signups whose confirmation link was never opened',
    defaultDays: () => settings().unconfirmedDays,
    legalBasis: 'consent',
    async apply(cutoff, transaction, scope) {
      const { where, held } = retentionWhere({ status: 'pending', confirmed_at: null, consented_at: { [Op.lt]: cutoff } }, scope, { user: 'user_id', email: 'email' });
      const skipped = held ? await NewsletterSubscriber.count({ where: held, transaction }) : 0;
      const stale = await NewsletterSubscriber.findAll({ where, attributes: ['id'], transaction });
      await removeSubscribers(stale.map((s) => s.id), transaction);
      return { removed: stale.length, anonymized: 0, skipped };
    },
  });

  ctx.privacy.processing({
    data: ['email address', 'subscription status, source and dates', 'history of subscription changes with the IP address they came from', 'hash of unsubscribed or erased addresses (suppression list)'],
    purpose: 'Send the newsletter to people who asked for it and confirmed by email (double opt-in); prove their consent; never mail an address that left the list',
    legalBasis: 'consent',
    recipients: ['the mail provider that delivers the emails'],
    retention: 'while subscribed; unconfirmed signups newsletter.unconfirmed (30 days by default); after unsubscribing or erasure only a one-way hash of the address stays on the suppression list, for good',
  });
}

import type { Seeder } from '../../helpers/privacy-seeder';
import { NewsletterEvent, NewsletterSubscriber } from '../../../plugins/newsletter/models';
import { addressHash } from '../../../plugins/newsletter/services/addresses';

/** The person's subscription and its record, for the privacy canary test (test/core/privacy-canary.test.ts). */
export const seeders: Record<string, Seeder> = {
  async NewsletterSubscriber(_t, person, c) {
    const now = new Date();
    await NewsletterSubscriber.create({
      email: c.use('NewsletterSubscriber', 'email', person.email),
      email_hash: addressHash(person.email),
      user_id: person.userId,
      status: 'confirmed',
      source: 'footer',
      confirm_nonce: null,
      consented_at: now,
      confirmed_at: now,
      unsubscribed_at: null,
    });
  },
  async NewsletterEvent(_t, person, c) {
    const subscriber = (await NewsletterSubscriber.findOne({ where: { email_hash: addressHash(person.email) } }))!;
    await NewsletterEvent.create({ subscriber_id: subscriber.id, kind: 'subscribed', how: 'signup form in the footer', ip: c.for('NewsletterEvent', 'ip') });
  },
};

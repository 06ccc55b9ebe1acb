import type { Seeder } from '../../helpers/privacy-seeder';
import { StripeAccount, StripePayment } from '../../../plugins/stripe/models';

/** The person's Stripe payment (an unpaid checkout) and their shop's connected account, for the privacy canary test. */
export const seeders: Record<string, Seeder> = {
  async StripePayment(_t, person, c) {
    await StripePayment.create({
      group_id: 999_001,
      reference: 'AG-CANARY',
      attempt: 1,
      idempotency_key: `agora-canary-${person.userId}`,
      email: c.use('StripePayment', 'email', person.email),
      amount: 1000,
      currency: 'EUR',
      orders_json: [],
      status: 'open',
      session_id: c.for('StripePayment', 'session_id'),
      payment_intent_id: c.for('StripePayment', 'payment_intent_id'),
      charge_id: c.for('StripePayment', 'charge_id'),
      customer_id: c.for('StripePayment', 'customer_id'),
      return_url: 'http://agora.test/checkout/orders/AG-CANARY',
    });
  },
  async StripeAccount(_t, person, c) {
    await StripeAccount.create({ shop_id: 999_002, account_id: c.for('StripeAccount', 'account_id'), user_id: person.userId });
  },
};

import { Op, type Transaction } from 'sequelize';
import { retentionWhere, type PluginContext } from '@agora/core';
import { setPayoutAccount } from '../shops/payments';
import { StripeAccount, StripePayment } from './models';

const ERASED_EMAIL = 'erased@erased.invalid';
const PAGE = 50;
/** A payment whose money moved: its Stripe ids are part of the tax record, like the order. */
const MONEY_MOVED = ['paid', 'needs_review'];

const paymentData = (p: StripePayment) => ({
  checkout: p.reference,
  email: p.email,
  stripe_checkout_session: p.session_id,
  stripe_payment_intent: p.payment_intent_id,
  stripe_charge: p.charge_id,
  stripe_customer: p.customer_id,
  amount: p.amount,
  currency: p.currency,
  status: p.status,
  created_at: p.created_at.toISOString(),
});

/**
 * Stripe's ids of a buyer's payments (session, PaymentIntent, charge, customer) and of a seller's
 * connected account are personal data: exported, and erased where no tax duty keeps them.
 */
export function stripePrivacy(ctx: PluginContext): void {
  const paymentCovers = { StripePayment: ['email', 'session_id', 'payment_intent_id', 'charge_id', 'customer_id'] };
  const accountCovers = { StripeAccount: ['account_id'] };

  ctx.privacy.exporter({
    name: 'payments',
    covers: paymentCovers,
    async exportPage(person, page) {
      const rows = await StripePayment.findAll({ where: { email: person.email.toLowerCase() }, order: [['id', 'ASC']], limit: PAGE, offset: (page - 1) * PAGE });
      return { items: rows.map((p) => ({ group: 'Stripe payments', id: p.id, data: paymentData(p) })), done: rows.length < PAGE };
    },
  });
  ctx.privacy.exporter({
    name: 'accounts',
    covers: accountCovers,
    async exportPage(person) {
      const rows = person.userId ? await StripeAccount.findAll({ where: { user_id: person.userId }, order: [['id', 'ASC']] }) : [];
      return { items: rows.map((a) => ({ group: 'Stripe Connect accounts', id: a.id, data: { shop_id: a.shop_id, stripe_account: a.account_id, charges_enabled: a.charges_enabled, payouts_enabled: a.payouts_enabled } })), done: true };
    },
  });

  ctx.privacy.eraser({
    name: 'payments',
    covers: paymentCovers,
    async erasePage(person) {
      const email = person.email.toLowerCase();
      const unpaid = await StripePayment.findAll({ where: { email, status: { [Op.notIn]: MONEY_MOVED } } });
      for (const p of unpaid) await p.update({ email: ERASED_EMAIL, session_id: null, payment_intent_id: null, charge_id: null, customer_id: null });
      // A paid payment keeps what refunds and the books need (its session, PaymentIntent and charge), as its order
      // keeps the invoice's identity; the email and the Stripe customer (which reach the person) go, as on the order.
      const [kept] = await StripePayment.update({ email: ERASED_EMAIL, customer_id: null }, { where: { email, status: MONEY_MOVED } });
      return {
        removed: [],
        anonymized: [
          ...(unpaid.length ? [`${unpaid.length} unpaid Stripe payments (email and Stripe ids removed)`] : []),
          ...(kept ? [`${kept} paid Stripe payments (email and Stripe customer removed)`] : []),
        ],
        retained: kept
          ? [
              {
                what: `${kept} paid Stripe payments (amount, Checkout Session, PaymentIntent and charge ids)`,
                reason: 'Tax law: the payment record of a sale is kept as long as the order (shops’ tax retention years); refunds need its ids',
                covers: { StripePayment: ['session_id', 'payment_intent_id', 'charge_id'] },
              },
            ]
          : [],
        done: true,
      };
    },
  });
  ctx.privacy.eraser({
    name: 'accounts',
    covers: accountCovers,
    async erasePage(person) {
      const rows = person.userId ? await StripeAccount.findAll({ where: { user_id: person.userId } }) : [];
      // Transfers already made keep their own ids (reversals need only those); the shop stops taking payouts.
      for (const a of rows) {
        await setPayoutAccount(a.shop_id, null);
        await a.update({ account_id: `erased:${a.id}`, user_id: null, charges_enabled: false, payouts_enabled: false });
      }
      return { removed: [], anonymized: rows.length ? [`${rows.length} Stripe Connect accounts (the shop is paid by hand from now on)`] : [], retained: [], done: true };
    },
  });

  ctx.privacy.retention('unpaid-payments', {
    label: 'Stripe ids of checkouts that were never paid',
    defaultDays: 90,
    legalBasis: 'contract',
    async apply(cutoff, transaction?: Transaction, scope?) {
      const { where, held } = retentionWhere({ status: { [Op.notIn]: MONEY_MOVED }, email: { [Op.ne]: ERASED_EMAIL }, created_at: { [Op.lt]: cutoff } }, scope, { email: 'email' });
      const skipped = held ? await StripePayment.count({ where: held, transaction }) : 0;
      const [anonymized] = await StripePayment.update({ email: ERASED_EMAIL, session_id: null, payment_intent_id: null, charge_id: null, customer_id: null }, { where, transaction });
      return { removed: 0, anonymized, skipped };
    },
  });
  ctx.privacy.processing({
    data: ['email address', 'Stripe Checkout Session, PaymentIntent, charge and customer ids', 'sellers’ Stripe account ids'],
    purpose: 'Take card payments through Stripe Checkout, refund them, and pay sellers through Stripe Connect',
    legalBasis: 'contract',
    recipients: ['Stripe Payments Europe Ltd. (payment processor)'],
    retention: 'paid payments as long as their orders (shops.paid-orders: the tax retention years); unpaid ones stripe.unpaid-payments (90 days by default)',
  });
}

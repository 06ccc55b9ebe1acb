import { Op, type Transaction } from 'sequelize';
import { retentionWhere, type PluginContext } from '@agora/core';
import { Cart } from './models/cart';
import { CartItem } from './models/cart-item';
import { CheckoutGroup } from './models/checkout-group';
import { Order } from './models/order';
import { OrderItem } from './models/order-item';
import { OrderNote } from './models/order-note';
import { OrderStatusHistory } from './models/order-status-history';
import { Refund } from './models/refund';
import type { ShopsSettings } from './settings';
import { ERASED_EMAIL } from './privacy-orders';
import { PAID_STATUSES } from './services/order-state';

const BATCH = 500;
const UNPAID_STATUSES = ['cancelled', 'expired'] as const;

/**
 * How long the shops plugin keeps what it stores, and why (the gdpr plugin's sweep and record of
 * processing read these). Paid orders follow the store's taxRetentionYears setting.
 */
export function declareShopsPrivacy(ctx: PluginContext): void {
  const taxDays = () => Math.max(1, ctx.settings.get<ShopsSettings>().taxRetentionYears * 365);
  const inTransaction = <T>(given: Transaction | undefined, fn: (t: Transaction) => Promise<T>): Promise<T> => (given ? fn(given) : ctx.sequelize.transaction(fn));

  ctx.privacy.retention('carts', {
    label: 'Carts of signed-in buyers not touched since the cutoff (abandoned carts)',
    defaultDays: 30,
    legalBasis: 'legitimate_interests',
    apply: (cutoff, transaction, scope) =>
      inTransaction(transaction, async (tx) => {
        const { where, held } = retentionWhere({ updated_at: { [Op.lt]: cutoff } }, scope, { user: 'user_id' });
        const skipped = held ? await Cart.count({ where: held, transaction: tx }) : 0;
        const carts = await Cart.findAll({ where, attributes: ['id'], limit: BATCH, transaction: tx });
        const ids = carts.map((c) => c.id);
        if (ids.length) await CartItem.destroy({ where: { cart_id: ids }, transaction: tx });
        const removed = ids.length ? await Cart.destroy({ where: { id: ids }, transaction: tx }) : 0;
        return { removed, anonymized: 0, skipped };
      }),
  });

  ctx.privacy.retention('paid-orders', {
    label: 'Paid orders past the tax retention years: the buyer is removed from them, the amounts stay',
    defaultDays: taxDays,
    legalBasis: 'legal_obligation',
    apply: (cutoff, transaction, scope) =>
      inTransaction(transaction, async (tx) => {
        const { where, held } = retentionWhere({ status: [...PAID_STATUSES], anonymized_at: null, created_at: { [Op.lt]: cutoff } }, scope, { user: 'buyer_id', email: 'email' });
        const skipped = held ? await Order.count({ where: held, transaction: tx }) : 0;
        const orders = await Order.findAll({ where, limit: BATCH, transaction: tx });
        let anonymized = 0;
        let kept = 0;
        const groupIds = new Set<number>();
        for (const order of orders) {
          // The tax years run from the payment, which may be later than the order.
          if ((order.paid_at ?? order.created_at) >= cutoff) {
            kept++;
            continue;
          }
          await order.update({ email: ERASED_EMAIL, ship_name: '', ship_line1: '', ship_line2: '', ship_city: '', ship_postcode: '', phone: '', buyer_id: null, anonymized_at: new Date() }, { transaction: tx });
          await OrderNote.destroy({ where: { order_id: order.id }, transaction: tx });
          groupIds.add(order.group_id);
          anonymized++;
        }
        await anonymizeEmptiedGroups([...groupIds], tx);
        return { removed: 0, anonymized, kept, skipped };
      }),
  });

  ctx.privacy.retention('unpaid-orders', {
    label: 'Cancelled and expired orders (never paid), with their checkout when nothing else is left of it',
    defaultDays: 90,
    legalBasis: 'contract',
    apply: (cutoff, transaction, scope) =>
      inTransaction(transaction, async (tx) => {
        const { where, held } = retentionWhere({ status: [...UNPAID_STATUSES], updated_at: { [Op.lt]: cutoff } }, scope, { user: 'buyer_id', email: 'email' });
        const skipped = held ? await Order.count({ where: held, transaction: tx }) : 0;
        const orders = await Order.findAll({ where, attributes: ['id', 'group_id'], limit: BATCH, transaction: tx });
        const ids = orders.map((o) => o.id);
        if (!ids.length) return { removed: 0, anonymized: 0, skipped };
        for (const model of [OrderItem, OrderNote, OrderStatusHistory, Refund] as const) await (model as typeof OrderItem).destroy({ where: { order_id: ids }, transaction: tx });
        const removed = await Order.destroy({ where: { id: ids }, transaction: tx });
        for (const groupId of new Set(orders.map((o) => o.group_id))) {
          if ((await Order.count({ where: { group_id: groupId }, transaction: tx })) === 0) await CheckoutGroup.destroy({ where: { id: groupId }, transaction: tx });
        }
        return { removed, anonymized: 0, skipped };
      }),
  });

  ctx.privacy.retention('guest-contact', {
    label: 'Email and phone on finished guest orders (no account to keep them for); the invoice data stays',
    defaultDays: 365,
    legalBasis: 'legitimate_interests',
    apply: (cutoff, transaction, scope) =>
      inTransaction(transaction, async (tx) => {
        const { where, held } = retentionWhere({ buyer_id: null, status: ['completed', ...UNPAID_STATUSES], email: { [Op.ne]: ERASED_EMAIL }, updated_at: { [Op.lt]: cutoff } }, scope, { email: 'email' });
        const skipped = held ? await Order.count({ where: held, transaction: tx }) : 0;
        const [anonymized] = await Order.update({ email: ERASED_EMAIL, phone: '' }, { where, transaction: tx });
        return { removed: 0, anonymized, skipped };
      }),
  });

  ctx.privacy.processing({
    data: ['name', 'delivery address', 'email address', 'phone', 'what was bought'],
    purpose: 'Take, deliver and support the orders a buyer places',
    legalBasis: 'contract',
    recipients: ["the seller of each order's shop", 'the payment provider the buyer chose'],
    retention: 'Unpaid orders: shops.unpaid-orders; paid orders: shops.paid-orders (the tax years)',
  });
  ctx.privacy.processing({
    data: ['name', 'town, postcode and country', 'items and amounts of paid orders'],
    purpose: 'Keep invoices for tax, also after an erasure request',
    legalBasis: 'legal_obligation',
    recipients: ['tax authorities on request'],
    retention: 'shops.paid-orders: the years set in the marketplace settings, from payment',
  });
  ctx.privacy.processing({
    data: ['saved delivery addresses', 'phone'],
    purpose: 'Fill in the checkout for a signed-in buyer',
    legalBasis: 'contract',
    recipients: [],
    retention: 'Until the buyer deletes them or closes the account',
  });
  ctx.privacy.processing({
    data: ['cart contents'],
    purpose: 'Keep what a signed-in buyer put in the cart between visits',
    legalBasis: 'legitimate_interests',
    recipients: [],
    retention: 'shops.carts (30 days after last change by default)',
  });
  ctx.privacy.processing({
    data: ['notes between buyer and seller on an order'],
    purpose: 'Let the buyer and the seller talk about an order',
    legalBasis: 'contract',
    recipients: ["the other party of the order (seller or buyer)"],
    retention: 'With the order',
  });
  ctx.privacy.processing({
    data: ["the seller's shop location"],
    purpose: 'Show buyers where a shop ships from',
    legalBasis: 'contract',
    recipients: ['visitors of the shop page'],
    retention: 'Until the seller changes it or closes the account',
  });
}

/** A checkout whose orders were all anonymized loses its email too. */
async function anonymizeEmptiedGroups(groupIds: number[], transaction: Transaction): Promise<void> {
  for (const id of groupIds) {
    const open = await Order.count({ where: { group_id: id, anonymized_at: null }, transaction });
    if (open === 0) await CheckoutGroup.update({ email: ERASED_EMAIL, buyer_id: null }, { where: { id }, transaction });
  }
}

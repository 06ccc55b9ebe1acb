import { Op } from 'sequelize';
import { eraseMailBodies, type PluginContext } from '@agora/core';
import { Order } from './models/order';
import { CheckoutGroup } from './models/checkout-group';

/**
 * The mails shops sent about a person's orders to other people (a seller's "New order" with the delivery
 * address, a buyer's note forwarded to the sellers) hold the buyer's data too. Core's mail eraser finds only the
 * mail sent to the person; this one erases the text of every mail naming one of their orders or checkouts in its
 * subject, keeping the send record. Registered after the orders eraser so that it runs before it (the registry
 * runs erasers last-registered first), while the orders still name their buyer.
 */
export function registerOrderMailPrivacy(ctx: PluginContext): void {
  ctx.privacy.eraser({
    name: 'order-mail',
    covers: {},
    async erasePage(person) {
      const email = person.email.toLowerCase();
      const orders = await Order.findAll({ where: person.userId ? { [Op.or]: [{ buyer_id: person.userId }, { email }] } : { email }, attributes: ['number', 'group_id'] });
      const groups = await CheckoutGroup.findAll({ where: { id: [...new Set(orders.map((o) => o.group_id))] }, attributes: ['reference'] });
      const n = await eraseMailBodies({ subjectIncludes: [...orders.map((o) => o.number), ...groups.map((g) => g.reference)], keepAddress: true });
      return { removed: n ? [`the text of ${n} ${n === 1 ? 'email' : 'emails'} about your orders sent to the shops and the marketplace team`] : [], anonymized: [], retained: [], done: true };
    },
  });
}

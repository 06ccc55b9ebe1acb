import { Op } from 'sequelize';
import { retentionWhere, type PluginContext } from '@agora/core';
import { Order } from './models/order';

const BATCH = 500;

/**
 * The street and phone on a shipping label are needed until the parcel arrives (and a little after, for a
 * lost one): three weeks after shipping they are removed from the order. The name, town, postcode and
 * country stay, which is what the invoice and the tax years need (shops.paid-orders).
 */
export function declareShippingAddressRetention(ctx: PluginContext): void {
  ctx.privacy.retention('shipping-addresses', {
    label: 'Street and phone of shipped orders (the shipping label), after shipping; name, town and postcode stay for the invoice',
    defaultDays: 21,
    legalBasis: 'contract',
    async apply(cutoff, transaction, scope) {
      const base = {
        status: ['shipped', 'completed'],
        anonymized_at: null,
        shipped_at: { [Op.lt]: cutoff },
        [Op.or]: [{ ship_line1: { [Op.ne]: '' } }, { ship_line2: { [Op.ne]: '' } }, { phone: { [Op.ne]: '' } }],
      };
      const { where, held } = retentionWhere(base, scope, { user: 'buyer_id', email: 'email' });
      const skipped = held ? await Order.count({ where: held, transaction }) : 0;
      const orders = await Order.findAll({ where, attributes: ['id'], limit: BATCH, transaction });
      if (!orders.length) return { removed: 0, anonymized: 0, skipped };
      const [anonymized] = await Order.update({ ship_line1: '', ship_line2: '', phone: '' }, { where: { id: orders.map((o) => o.id) }, transaction });
      return { removed: 0, anonymized, skipped };
    },
  });
}

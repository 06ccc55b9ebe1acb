import { Op } from 'sequelize';
import type { PluginContext } from '@agora/core';
import { Order } from './models/order';
import { ShopMember } from './models/shop-member';

/**
 * An account with orders (in any status: the buyer follows, pays, downloads and gets invoices through it)
 * or a place in a shop's team is kept by core's rule for unverified accounts (`core.unverified-accounts`).
 */
export function declareShopsAccountHolds(ctx: PluginContext): void {
  ctx.privacy.accountHold('orders or a shop', async (userIds, transaction) => {
    const ids = [...userIds];
    const buyers = await Order.findAll({ where: { buyer_id: { [Op.in]: ids } }, attributes: ['buyer_id'], group: ['buyer_id'], transaction });
    const members = await ShopMember.findAll({ where: { user_id: { [Op.in]: ids } }, attributes: ['user_id'], group: ['user_id'], transaction });
    return [...buyers.map((o) => o.buyer_id!), ...members.map((m) => m.user_id)];
  });
}

import { Op, Sequelize } from 'sequelize';
import { retentionWhere, type PluginContext } from '@agora/core';
import { DownloadRecord } from './models/product-download-record';
import { Order } from './models/order';

/**
 * Each download of a digital good keeps the (truncated) IP it came from, to see a link shared around; after a
 * month the IP is removed and the record (which grant, when) stays for the download limit and disputes.
 * A guest's record names nobody but its order: the order's address tells whether a pending request holds it.
 */
export function declareDownloadIpRetention(ctx: PluginContext): void {
  ctx.privacy.retention('download-ips', {
    label: 'IP addresses of downloads of digital goods (the record of the download stays)',
    defaultDays: 30,
    legalBasis: 'legitimate_interests',
    async apply(cutoff, transaction, scope) {
      const emails = scope?.restrictedEmails ?? [];
      const heldOrders = emails.length
        ? (await Order.findAll({ where: Sequelize.where(Sequelize.fn('lower', Sequelize.col('email')), { [Op.in]: [...emails] }), attributes: ['id'], transaction })).map((o) => o.id)
        : [];
      const base = { ip: { [Op.ne]: '' }, created_at: { [Op.lt]: cutoff } };
      const byUser = retentionWhere(base, scope, { user: 'user_id' });
      const where = heldOrders.length ? { [Op.and]: [byUser.where, { order_id: { [Op.notIn]: heldOrders } }] } : byUser.where;
      const held = heldOrders.length ? { [Op.and]: [base, { [Op.or]: [...(byUser.held ? [byUser.held] : []), { order_id: heldOrders }] }] } : byUser.held;
      const skipped = held ? await DownloadRecord.count({ where: held, transaction }) : 0;
      const [anonymized] = await DownloadRecord.update({ ip: '' }, { where, transaction });
      return { removed: 0, anonymized, skipped };
    },
  });
}

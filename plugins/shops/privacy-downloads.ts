import { Op, type Transaction } from 'sequelize';
import { retentionWhere, type PluginContext, type Person } from '@agora/core';
import { Order } from './models/order';
import { DownloadGrant } from './models/product-download-grant';
import { DownloadRecord } from './models/product-download-record';

const PAGE = 500;

async function orderIdsOf(person: Person): Promise<number[]> {
  const email = person.email.toLowerCase();
  const who = person.userId ? { [Op.or]: [{ buyer_id: person.userId }, { email }] } : { email };
  return (await Order.findAll({ where: who, attributes: ['id'] })).map((o) => o.id);
}

/** The person's download records: of their orders (a guest's too), or made while logged in as them. */
function recordsWhere(person: Person, orderIds: number[]) {
  const of = [...(orderIds.length ? [{ order_id: orderIds }] : []), ...(person.userId ? [{ user_id: person.userId }] : [])];
  return of.length ? { [Op.or]: of } : undefined;
}

/**
 * Digital goods (docs/shops-digital.md): the buyer's download access and each download (when, the IP
 * truncated). Exported with the orders they belong to; erased outright, since no law asks to keep them (the
 * paid order and its invoice, kept for tax, say what was sold), and the access they gave ends with them.
 * Registered after the orders' eraser, so it runs before it, while the orders still name the person.
 */
export function registerDownloadPrivacy(ctx: PluginContext): void {
  ctx.privacy.exporter({
    name: 'downloads',
    covers: { DownloadRecord: ['ip'] },
    async exportPage(person, page) {
      const ids = await orderIdsOf(person);
      const where = recordsWhere(person, ids);
      const records = where ? await DownloadRecord.findAll({ where, order: [['id', 'ASC']], limit: PAGE, offset: (page - 1) * PAGE }) : [];
      const grants = page === 1 && ids.length ? await DownloadGrant.findAll({ where: { order_id: ids }, order: [['id', 'ASC']] }) : [];
      return {
        items: [
          ...grants.map((g) => ({
            group: 'Downloads bought',
            id: g.id,
            data: { order_id: g.order_id, file: g.name, download_limit: g.download_limit, downloads_used: g.downloads_used, expires_at: g.expires_at, revoked_at: g.revoked_at, created_at: g.created_at },
          })),
          ...records.map((r) => ({ group: 'Downloads made', id: r.id, data: { download_id: r.grant_id, order_id: r.order_id, ip: r.ip, downloaded_at: r.created_at } })),
        ],
        done: records.length < PAGE,
      };
    },
  });

  ctx.privacy.eraser({
    name: 'downloads',
    covers: { DownloadRecord: ['ip'] },
    async erasePage(person) {
      const ids = await orderIdsOf(person);
      const where = recordsWhere(person, ids);
      const removed = where ? await DownloadRecord.destroy({ where }) : 0;
      const [ended] = ids.length ? await DownloadGrant.update({ revoked_at: new Date(), revoked_reason: 'Ended when the buyer’s data was erased' }, { where: { order_id: ids, revoked_at: null } }) : [0];
      return {
        removed: removed ? [`${removed} download ${removed === 1 ? 'record' : 'records'} (when, and the IP address truncated)`] : [],
        anonymized: ended ? [`${ended} download ${ended === 1 ? 'link' : 'links'} ended: the files can no longer be downloaded`] : [],
        retained: [],
        done: true,
      };
    },
  });

  ctx.privacy.retention('download-records', {
    label: 'Records of downloads (when, the IP truncated) older than the cutoff',
    defaultDays: 365,
    legalBasis: 'legitimate_interests',
    apply: async (cutoff: Date, transaction: Transaction | undefined, scope) => {
      const { where, held } = retentionWhere({ created_at: { [Op.lt]: cutoff } }, scope, { user: 'user_id' });
      const skipped = held ? await DownloadRecord.count({ where: held, transaction }) : 0;
      const due = await DownloadRecord.findAll({ where, attributes: ['id'], limit: PAGE, transaction });
      const removed = due.length ? await DownloadRecord.destroy({ where: { id: due.map((r) => r.id) }, transaction }) : 0;
      return { removed, anonymized: 0, skipped };
    },
  });

  ctx.privacy.processing({
    data: ['the downloads of files bought: when, and the IP address with its last part removed'],
    purpose: 'Deliver digital goods by a personal link, count the downloads a purchase allows, and see abuse of a link',
    legalBasis: 'contract',
    recipients: ['the seller of the order (how often and when it was downloaded, not the IP address)'],
    retention: 'download-records (one year by default); erased with the buyer’s data',
  });
}

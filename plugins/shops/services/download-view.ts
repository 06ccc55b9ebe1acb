import { Op } from 'sequelize';
import type { Order } from '../models/order';
import { OrderItem } from '../models/order-item';
import { Product } from '../models/product';
import { DownloadGrant } from '../models/product-download-grant';
import { DownloadRecord } from '../models/product-download-record';
import type { ShopsSettings } from '../settings';
import { downloadPath } from './download-links';
import { fileSize } from './download-files';
import { grantDownloads } from './download-service';
import { PAID_STATUSES } from './order-state';

/** One purchased file as an order page and the email show it. */
export interface DownloadRow {
  name: string;
  size: string;
  state: ReturnType<DownloadGrant['state']>;
  /** What the buyer reads beside it: "3 of 5 downloads left · until 2 January 2027 (UTC)", or why it ended. */
  terms: string;
  /** The signed link (a path; the email puts the site's address before it); null when it no longer works. */
  href: string | null;
  /** For the seller: how often it was downloaded, and when last. */
  used: number;
  lastAt: string | null;
}

export interface OrderDownloads {
  rows: DownloadRow[];
  /** The order holds downloads but is not paid yet. */
  awaitingPayment: boolean;
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function termsOf(grant: DownloadGrant, state: DownloadRow['state']): string {
  if (state === 'revoked') return grant.revoked_reason || 'Ended: the order was refunded';
  if (state === 'expired') return `Expired on ${DATE.format(grant.expires_at!)} (UTC)`;
  if (state === 'used_up') return `All ${grant.download_limit} downloads used`;
  const left = grant.download_limit === null ? 'Unlimited downloads' : `${grant.download_limit - grant.downloads_used} of ${grant.download_limit} downloads left`;
  return grant.expires_at ? `${left} · until ${DATE.format(grant.expires_at)} (UTC)` : left;
}

/** Whether any line of the order is a download. */
export async function hasDownloads(order: Order): Promise<boolean> {
  const items = await OrderItem.findAll({ where: { order_id: order.id, product_id: { [Op.ne]: null }, variant_id: null }, attributes: ['product_id'] });
  return items.length > 0 && (await Product.count({ where: { id: items.map((i) => i.product_id!), is_digital: true } })) > 0;
}

/**
 * The downloads of an order for its pages. A paid order missing its grants (the process stopped between the
 * payment's commit and its listener) gets them here: granting is idempotent.
 */
export async function orderDownloads(order: Order, secret: string, guestReference: string | null, defaults: Pick<ShopsSettings, 'downloadLimit' | 'downloadDays'>): Promise<OrderDownloads> {
  let grants = await DownloadGrant.findAll({ where: { order_id: order.id }, order: [['id', 'ASC']] });
  if (!grants.length) {
    if (!(await hasDownloads(order))) return { rows: [], awaitingPayment: false };
    if (!PAID_STATUSES.includes(order.status)) return { rows: [], awaitingPayment: order.status === 'pending' };
    grants = await grantDownloads(order.id, defaults);
  }
  const records = await DownloadRecord.findAll({ where: { grant_id: grants.map((g) => g.id) }, attributes: ['grant_id', 'created_at'], order: [['created_at', 'ASC']] });
  const now = new Date();
  return {
    awaitingPayment: false,
    rows: grants.map((grant) => {
      const state = grant.state(now);
      const mine = records.filter((r) => r.grant_id === grant.id);
      return {
        name: grant.name,
        size: fileSize(grant.size),
        state,
        terms: termsOf(grant, state),
        href: state === 'available' ? downloadPath(secret, grant, order.buyer_id === null ? guestReference : null) : null,
        used: grant.downloads_used,
        lastAt: mine.length ? `${DATE.format(mine[mine.length - 1].created_at)} (UTC)` : null,
      };
    }),
  };
}

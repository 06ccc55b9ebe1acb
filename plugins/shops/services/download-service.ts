import { Op, type Transaction } from 'sequelize';
import { Order } from '../models/order';
import { OrderItem } from '../models/order-item';
import { Product } from '../models/product';
import { ProductDownload } from '../models/product-download';
import { DownloadGrant } from '../models/product-download-grant';
import { DownloadRecord } from '../models/product-download-record';
import type { ShopsSettings } from '../settings';
import { PAID_STATUSES } from './order-state';

const DAY_MS = 24 * 3600_000;

type Defaults = Pick<ShopsSettings, 'downloadLimit' | 'downloadDays'>;

/** What a product's link allows: the seller's values, else the store's; 0 means none (no limit, no expiry). */
export function downloadTerms(product: Pick<Product, 'download_limit' | 'download_days'>, defaults: Defaults): { limit: number | null; days: number | null } {
  const limit = product.download_limit ?? defaults.downloadLimit;
  const days = product.download_days ?? defaults.downloadDays;
  return { limit: limit > 0 ? limit : null, days: days > 0 ? days : null };
}

/**
 * Gives the buyer of a paid order access to every file of its digital lines: one grant per line and file, with
 * the limit (times the quantity bought) and the expiry (from the payment) of the product's terms at that moment.
 * Safe to call again: what was granted is kept as it is and only missing grants are added (the unique index on
 * line and file makes a concurrent second call add none). Returns the grants it added.
 */
export async function grantDownloads(orderId: number, defaults: Defaults, transaction?: Transaction): Promise<DownloadGrant[]> {
  const order = await Order.findByPk(orderId, { attributes: ['id', 'status', 'paid_at'], transaction });
  if (!order || !PAID_STATUSES.includes(order.status)) return [];
  const items = await OrderItem.findAll({ where: { order_id: order.id, product_id: { [Op.ne]: null }, variant_id: null }, transaction });
  if (!items.length) return [];
  const products = await Product.findAll({ where: { id: items.map((i) => i.product_id!), is_digital: true }, attributes: ['id', 'download_limit', 'download_days'], transaction });
  if (!products.length) return [];
  const files = await ProductDownload.findAll({ where: { product_id: products.map((p) => p.id) }, order: [['position', 'ASC'], ['id', 'ASC']], transaction });
  const existing = await DownloadGrant.findAll({ where: { order_id: order.id }, attributes: ['order_item_id', 'file_id'], transaction });
  const have = new Set(existing.map((g) => `${g.order_item_id}:${g.file_id}`));
  const from = order.paid_at ?? new Date();
  const missing = items.flatMap((item) => {
    const product = products.find((p) => p.id === item.product_id);
    if (!product) return [];
    const terms = downloadTerms(product, defaults);
    return files
      .filter((f) => f.product_id === product.id && !have.has(`${item.id}:${f.file_id}`))
      .map((f) => ({
        order_id: order.id,
        order_item_id: item.id,
        product_download_id: f.id,
        file_id: f.file_id,
        name: f.name,
        size: f.size,
        download_limit: terms.limit === null ? null : terms.limit * item.quantity,
        expires_at: terms.days === null ? null : new Date(from.getTime() + terms.days * DAY_MS),
      }));
  });
  if (!missing.length) return [];
  await DownloadGrant.bulkCreate(missing, { ignoreDuplicates: true, transaction });
  return DownloadGrant.findAll({ where: { order_id: order.id, file_id: missing.map((m) => m.file_id) }, order: [['id', 'ASC']], transaction });
}

/** Why a link gives nothing now; `available` when it does. */
export type GrantState = ReturnType<DownloadGrant['state']>;

/**
 * Takes one download of a grant: the count is raised by a conditional update that holds only while the grant
 * is neither revoked, expired nor used up, so two downloads racing for the last one never both get it; the
 * record of who, when and from where is written in the same transaction. Returns the state that refused it,
 * or `available` with the record.
 */
export async function claimDownload(grant: DownloadGrant, who: { userId: number | null; ip: string }, now = new Date()): Promise<{ state: GrantState; record?: DownloadRecord }> {
  const sequelize = DownloadGrant.sequelize!;
  return sequelize.transaction(async (transaction) => {
    const [count] = await DownloadGrant.update(
      { downloads_used: sequelize.literal('downloads_used + 1') as unknown as number },
      {
        where: {
          id: grant.id,
          revoked_at: null,
          [Op.and]: [
            { [Op.or]: [{ download_limit: null }, { downloads_used: { [Op.lt]: sequelize.col('download_limit') } }] },
            { [Op.or]: [{ expires_at: null }, { expires_at: { [Op.gt]: now } }] },
          ],
        },
        transaction,
      },
    );
    if (count !== 1) {
      const fresh = await DownloadGrant.findByPk(grant.id, { transaction });
      const state = fresh?.state(now) ?? 'revoked';
      // Refused by the update but available when read again can only be a limit reached in between.
      return { state: state === 'available' ? 'used_up' : state };
    }
    const record = await DownloadRecord.create({ grant_id: grant.id, order_id: grant.order_id, user_id: who.userId, ip: who.ip }, { transaction });
    return { state: 'available', record };
  });
}

/** Ends every access of an order (a refund: the money went back, so do the files); returns how many it ended. */
export async function revokeDownloads(orderId: number, reason: string, transaction?: Transaction): Promise<number> {
  const [count] = await DownloadGrant.update({ revoked_at: new Date(), revoked_reason: reason.slice(0, 200) }, { where: { order_id: orderId, revoked_at: null }, transaction });
  return count;
}

/** Gives an order's ended access back (the seller's choice after a partial refund of a mixed order); the limit and expiry stay. */
export async function restoreDownloads(orderId: number): Promise<number> {
  const [count] = await DownloadGrant.update({ revoked_at: null, revoked_reason: '' }, { where: { order_id: orderId, revoked_at: { [Op.ne]: null } } });
  return count;
}

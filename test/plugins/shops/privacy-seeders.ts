import type { Seeder } from '../../helpers/privacy-seeder';
import { Coupon, CouponRedemption, Invoice } from '../../../plugins/shops/models';

/** The person's coupon use and invoice (issue 17) on their seeded order, for the privacy canary test. */
export const seeders: Record<string, Seeder> = {
  async CouponRedemption(_t, person, c) {
    const { Order } = await import('../../../plugins/shops/models');
    const order = await Order.findOne({ where: { buyer_id: person.userId }, order: [['id', 'ASC']] });
    if (!order) throw new Error('the canary person has no order');
    const coupon = await Coupon.create({ shop_id: null, code: `CANARY${Date.now() % 1_000_000}`, kind: 'percent', value: 1000 });
    await CouponRedemption.create({ coupon_id: coupon.id, order_id: order.id, group_id: order.group_id, buyer_id: person.userId, email: c.email('CouponRedemption', 'email'), amount: 100 });
  },
  async Invoice(_t, person, c) {
    const { Order } = await import('../../../plugins/shops/models');
    const order = await Order.findOne({ where: { buyer_id: person.userId }, order: [['id', 'ASC']] });
    if (!order) throw new Error('the canary person has no order to invoice');
    const data = { kind: 'invoice', number: 'INV-999999', buyer: { name: 'Canary', address: ['1 Canary Street', '75001 Paris', 'France'], email: c.email('Invoice', 'data') } };
    await Invoice.create({ shop_id: order.shop_id, order_id: order.id, refund_id: null, kind: 'invoice', sequence: 999_999, number: 'INV-999999', buyer_id: person.userId, currency: 'EUR', total: 100, data: JSON.stringify(data), issued_at: new Date() });
  },
  // A download of a digital good (docs/shops-digital.md): its truncated IP is the personal column.
  async DownloadRecord(_t, person, c) {
    const { Order, OrderItem } = await import('../../../plugins/shops/models');
    const { DownloadGrant } = await import('../../../plugins/shops/models/product-download-grant');
    const { DownloadRecord } = await import('../../../plugins/shops/models/product-download-record');
    const order = await Order.findOne({ where: { buyer_id: person.userId }, order: [['id', 'ASC']] });
    if (!order) throw new Error('the canary person has no order');
    const item = (await OrderItem.findOne({ where: { order_id: order.id } })) ?? (await OrderItem.create({ order_id: order.id, product_id: null, title: 'Canary e-book', unit_price: 100, quantity: 1, line_total: 100 }));
    const grant = await DownloadGrant.create({ order_id: order.id, order_item_id: item.id, product_download_id: null, file_id: '00000000-0000-4000-8000-000000000000', name: 'canary.pdf', size: 1, download_limit: null, expires_at: null });
    await DownloadRecord.create({ grant_id: grant.id, order_id: order.id, user_id: person.userId, ip: c.for('DownloadRecord', 'ip') });
  },
};

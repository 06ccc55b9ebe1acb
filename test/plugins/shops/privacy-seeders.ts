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
};

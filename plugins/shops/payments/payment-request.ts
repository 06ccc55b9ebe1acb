import { CheckoutGroup } from '../models/checkout-group';
import { Order } from '../models/order';
import { OrderItem } from '../models/order-item';
import { Shop } from '../models/shop';
import { paymentIdempotencyKey, type PaymentRequest } from './gateway';

export interface PaymentUrls {
  description: string;
  returnUrl: string;
  cancelUrl: string;
}

/**
 * What the gateway is told for one attempt to pay a checkout group: every order with its shop, lines,
 * shipping, platform fee and the shop's payout account, read from the database (never from the browser).
 */
export async function paymentRequestFor(group: CheckoutGroup, urls: PaymentUrls, attempt = group.attempt ?? 1): Promise<PaymentRequest> {
  const orders = await Order.findAll({ where: { group_id: group.id }, order: [['shop_id', 'ASC'], ['id', 'ASC']] });
  const ids = orders.map((o) => o.id);
  const [items, shops] = await Promise.all([
    OrderItem.findAll({ where: { order_id: ids }, order: [['id', 'ASC']] }),
    Shop.findAll({ where: { id: [...new Set(orders.map((o) => o.shop_id))] }, attributes: ['id', 'name', 'payout_account'] }),
  ]);
  const shopById = new Map(shops.map((s) => [s.id, s]));
  return {
    groupId: group.id,
    reference: group.reference,
    amount: group.total,
    currency: group.currency,
    email: group.email,
    ...urls,
    attempt,
    idempotencyKey: paymentIdempotencyKey(group.reference, attempt),
    orders: orders.map((o) => {
      const shop = shopById.get(o.shop_id);
      return {
        orderId: o.id,
        number: o.number,
        shopId: o.shop_id,
        shopName: shop?.name ?? '',
        lines: items.filter((i) => i.order_id === o.id).map((i) => ({ productId: i.product_id, title: i.title, quantity: i.quantity, unitPrice: i.unit_price, lineTotal: i.line_total })),
        subtotal: o.subtotal,
        shipping: o.shipping_total,
        platformFee: o.platform_fee,
        discount: o.discount_total,
        platformDiscount: o.platform_discount,
        tax: o.tax_total,
        pricesIncludeTax: o.prices_include_tax,
        total: o.total,
        payoutAccount: shop?.payout_account ?? null,
      };
    }),
  };
}

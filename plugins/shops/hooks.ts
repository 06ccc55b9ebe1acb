import type { Shop } from './models/shop';
import type { Product } from './models/product';
import type { Order, OrderStatus } from './models/order';
import type { OrderNote } from './models/order-note';
import type { CheckoutGroup } from './models/checkout-group';
import type { PaymentGateway } from './payments/gateway';

/** A tab on the product page (description, shipping, reviews...). */
export interface ProductTab {
  id: string;
  title: string;
  /** Escaped HTML. */
  html: string;
  order?: number;
}

/** The hooks the shops plugin fires; other plugins listen to these. */
declare module '../../core/hooks' {
  interface ActionMap {
    'shops.shop.opened': [shop: Shop, ownerId: number];
    'shops.shop.updated': [shop: Shop];
    'shops.product.published': [product: Product];
    'shops.product.discounted': [product: Product, previousPrice: number];
    'shops.product.updated': [product: Product];
    'shops.order.created': [order: Order];
    'shops.order.paid': [order: Order];
    'shops.order.status.changed': [order: Order, from: OrderStatus, to: OrderStatus];
    'shops.order.note.added': [note: OrderNote, order: Order];
    'shops.checkout.completed': [group: CheckoutGroup, orders: Order[]];
  }
  interface FilterMap {
    /** The payment gateways buyers can choose from at checkout. */
    'shops.payment.gateways': [gateways: PaymentGateway[]];
    'shops.product.tabs': [tabs: ProductTab[], product: Product];
    /** The platform fee of one order in minor units, computed from the settings; plugins may adjust it. */
    'shops.order.platform_fee': [fee: number, order: { shopId: number; subtotal: number; currency: string }];
  }
}

export {};

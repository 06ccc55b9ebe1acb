import type { Shop } from './models/shop';
import type { Product } from './models/product';
import type { Order, OrderStatus } from './models/order';
import type { OrderNote } from './models/order-note';
import type { CheckoutGroup } from './models/checkout-group';
import type { Refund } from './models/refund';
import type { PaymentGateway } from './payments/gateway';
import type { CatalogCard, CatalogResult } from './services/catalog-service';
import type { SlotFragment } from '@agora/core';
import type { CartView } from './services/cart-service';

/** How a product came back in stock (see `shops.product.restocked`). */
export type ProductRestockPath = 'edit' | 'bulk' | 'import' | 'order' | 'variant';

/** What the product cards' slot is told: every card of the page at once. */
export interface ProductCardsContext {
  cards: ReadonlyArray<Pick<CatalogCard, 'id' | 'title' | 'slug' | 'shop_id'>>;
  viewer: Express.User | undefined;
  /** The page the cards are on (path and query), for forms that come back to it. */
  back: string;
}

/** One fragment for one card of `view.shops.product.card.actions`. */
export type ProductCardFragment = SlotFragment & { productId: number };

/** A tab on the product page (description, shipping, reviews...). */
export interface ProductTab {
  id: string;
  title: string;
  /** Escaped HTML. */
  html: string;
  order?: number;
}

/** What the product page tells its tabs filter and its slots about the page. */
export interface ProductPageContext {
  product: Product;
  shop: Shop;
  /** The logged-in person looking at the page; undefined for a guest. */
  viewer: Express.User | undefined;
  /** The request's query string (strings, arrays, nested objects as Express parsed them). */
  query: Readonly<Record<string, unknown>>;
}

/** The hooks the shops plugin fires; other plugins listen to these. */
declare module '@agora/core' {
  interface ActionMap {
    'shops.shop.opened': [shop: Shop, ownerId: number];
    'shops.shop.updated': [shop: Shop];
    'shops.product.published': [product: Product];
    'shops.product.discounted': [product: Product, previousPrice: number];
    'shops.product.updated': [product: Product];
    /**
     * A live product's available stock went from none (0) to some (or unlimited), by any path: the seller's
     * edit, a bulk edit, a CSV import, an order cancelled or refunded giving its units back, or a variant
     * restocked (the product's total counts). Fired once per such change, after its commit; `at` is when it
     * was committed, unique enough to key the event.
     */
    'shops.product.restocked': [product: Product, restock: { at: Date; via: ProductRestockPath }];
    'shops.order.created': [order: Order];
    'shops.order.paid': [order: Order];
    'shops.order.status.changed': [order: Order, from: OrderStatus, to: OrderStatus];
    /** A refund the provider confirmed; the order keeps its status (a full refund of an unshipped order also cancels it). */
    'shops.order.refunded': [order: Order, refund: Refund];
    'shops.order.note.added': [note: OrderNote, order: Order];
    'shops.checkout.completed': [group: CheckoutGroup, orders: Order[]];
  }
  interface FilterMap {
    /** The payment gateways buyers can choose from at checkout. */
    'shops.payment.gateways': [gateways: PaymentGateway[]];
    /** The product page's tabs; `page` says who is looking and what they asked for (`?page=2` of reviews, say). */
    'shops.product.tabs': [tabs: ProductTab[], product: Product, page: ProductPageContext];
    /**
     * The per-card slot of `shops/partials/product-card` (a heart, a compare box...): one call per page
     * for all its cards, so a filler answers with one query (never one per card). Each fragment names the
     * card it goes on; rendered inside that card, after its link. `back` is the page to come back to.
     */
    'view.shops.product.card.actions': [fragments: ProductCardFragment[], context: ProductCardsContext];
    /** The platform fee of one order in minor units, computed from the settings; plugins may adjust it. */
    'shops.order.platform_fee': [fee: number, order: { shopId: number; subtotal: number; currency: string }];
  }
}

/**
 * The slots shops' templates call, each with the page objects its fillers get (besides viewer, query and
 * template). The objects are the page's locals of the same names: change a route's locals, change this.
 */
declare module '@agora/core' {
  interface SlotMap {
    'shops.product.before_summary': { product: Product; shop: Shop; tabs: ProductTab[] };
    'shops.product.after_price': { product: Product; shop: Shop; tabs: ProductTab[] };
    'shops.product.after_summary': { product: Product; shop: Shop; tabs: ProductTab[] };
    'shops.product.shop_card': { product: Product; shop: Shop; tabs: ProductTab[] };
    'shops.product.after_tabs': { product: Product; shop: Shop; tabs: ProductTab[] };
    'shops.catalog.sidebar': { result: CatalogResult };
    'shops.catalog.before_results': { result: CatalogResult };
    'shops.shop.header_actions': { shop: Shop; result: CatalogResult };
    'shops.shop.after_about': { shop: Shop; result: CatalogResult };
    'shops.cart.after': { view: CartView };
    'shops.checkout.before_payment': { view: CartView };
    /** The confirmation page of a checkout (a guest's or a buyer's), with every order of the group. */
    'shops.checkout.confirmation': { group: CheckoutGroup; orders: Array<{ order: Order; shop: Shop | undefined }> };
    'shops.account.order': { order: Order; shop: Shop; group: CheckoutGroup };
    'shops.seller.order': { order: Order; shop: Shop; group: CheckoutGroup };
    /** The seller area's navigation, on every seller page of one shop. */
    'shops.seller.nav': { shop: Shop };
    'shops.seller.dashboard': { shop: Shop };
    /** In the email telling the buyer their order's new status (no viewer: a mail), after the status line. */
    'shops.mail.order_status': { order: Order; shop: Shop; status: OrderStatus };
  }
}

export {};

import type { Request } from 'express';
import { Order, OrderItem, OrderNote, Product, Shop, ShopMember } from './models';
import { cartStoreFor } from './services/cart-store';
import { shopIdsOf } from './services/shop-access';
import { Op, col } from 'sequelize';
import type { OrderStatus } from './models/order';

/**
 * What shops answers for the plugins built on it (reviews, follows, messaging), so they never import
 * its models: `ctx.service('shops')` in a plugin that lists shops in `requires.plugins`. Every method
 * reads through the models' Sequelize instance, so a call inside a transaction joins it (ambient).
 */
export interface ShopsService {
  /**
   * Whether the user has an order that was paid and not refunded in full containing the product (a
   * "verified purchase": a review may be left, a question is from a buyer).
   */
  hasPaidOrderContaining(userId: number, productId: number): Promise<boolean>;
  /** Who takes part in an order: its buyer (an account or only an email) and the shop's people. */
  orderParties(orderId: number): Promise<OrderParties | undefined>;
  /** The people who run a shop (owner first), e.g. to tell them of a message. */
  shopMembers(shopId: number): Promise<ShopMemberInfo[]>;
  /** What a product looks like in another plugin's list (a review, a follow, a message subject). */
  productCard(productId: number): Promise<ProductCard | undefined>;
  /** The cards of several products in one query (a list of them on one page), by id; a deleted product is left out. */
  productCards(productIds: number[]): Promise<Map<number, ProductCard>>;
  /** The numbers of several orders in one query (a seller's list of recent payments), by id. */
  orderNumbers(orderIds: number[]): Promise<Map<number, string>>;
  shopCard(shopId: number): Promise<ShopCard | undefined>;
  /**
   * Puts the items of a checkout group's orders back into the cart of the person making this request
   * (a buyer who cancelled on the payment provider's page), each product that still exists with the
   * quantity ordered. Answers how many products were put back.
   */
  refillCart(req: Request, groupId: number): Promise<number>;
  /** The notes buyer and seller left on an order, oldest first (messaging shows them in the order's thread). */
  orderNotes(orderId: number): Promise<OrderNoteInfo[]>;
  /** The shops the person is a member of (owner or staff), oldest first: the seller's side of their conversations. */
  memberShopIds(userId: number): Promise<number[]>;
  /** The buyer's orders from one shop, newest first (at most 50), e.g. to say which order a message is about. */
  buyerOrders(userId: number, shopId: number): Promise<BuyerOrderInfo[]>;
  /**
   * The lines of the user's orders that were paid and not refunded in full, newest order first (reviews:
   * one review per line), of one product, or of every product when `productId` is left out.
   */
  paidOrderItems(userId: number, productId?: number): Promise<PurchasedItem[]>;
  /** The lines of one order, whatever its status (a "write a review" link per line on its pages). */
  orderItems(orderId: number): Promise<OrderItemInfo[]>;
  /**
   * Keeps a product's rating on the product (the catalog's "4 stars and up" filter and "best rated" sort):
   * the reviews plugin calls it in the approval's transaction. `average` in stars (4.25), rounded to hundredths.
   */
  setProductRating(productId: number, rating: { average: number; count: number }): Promise<void>;
}

export interface OrderItemInfo {
  orderItemId: number;
  orderId: number;
  /** Null when the product was deleted since. */
  productId: number | null;
  title: string;
}

export interface PurchasedItem extends OrderItemInfo {
  productId: number;
  orderNumber: string;
  shopId: number;
  paidAt: Date | null;
}

export interface OrderNoteInfo {
  id: number;
  authorId: number | null;
  authorSide: 'buyer' | 'seller' | 'admin';
  body: string;
  createdAt: Date;
}

export interface BuyerOrderInfo {
  orderId: number;
  number: string;
  status: OrderStatus;
  createdAt: Date;
}

export interface ShopMemberInfo {
  userId: number;
  role: 'owner' | 'staff';
}

export interface OrderParties {
  orderId: number;
  number: string;
  status: OrderStatus;
  /** The buyer's account, or null for a guest (then only the order's email reaches them). */
  buyerUserId: number | null;
  buyerEmail: string;
  shopId: number;
  /** User ids of the shop's members: the seller's side of the order. */
  shopMemberIds: number[];
}

export interface ShopCard {
  id: number;
  name: string;
  slug: string;
  /** The shop's public page. */
  url: string;
  logoUrl: string | null;
  currency: string;
}

export interface ProductCard {
  id: number;
  title: string;
  slug: string;
  /** The product's public page (it answers 404 while the product is a draft). */
  url: string;
  /** In minor units of `currency`. */
  price: number;
  currency: string;
  imageUrl: string | null;
  published: boolean;
  shop: ShopCard;
}

declare module '@agora/core' {
  interface ServiceMap {
    shops: ShopsService;
  }
}

/** Orders whose money was taken; kept only while not all of it was refunded (a full refund gives the purchase back). */
const KEPT_PAID: OrderStatus[] = ['paid', 'shipped', 'completed'];

const uploadUrl = (path: string | null | undefined): string | null => (path ? `/uploads/${path}` : null);

/** A product loaded with its shop (include `shop`) as other plugins see it; undefined when its shop is gone. */
function toProductCard(product: Product): ProductCard | undefined {
  const shop = (product as Product & { shop?: Shop }).shop;
  if (!shop) return undefined;
  return {
    id: product.id,
    title: product.title,
    slug: product.slug,
    url: `/products/${product.slug}`,
    price: product.price,
    currency: product.currency,
    imageUrl: uploadUrl(product.image_path),
    published: product.status === 'published',
    shop: toShopCard(shop),
  };
}

function toShopCard(shop: Shop): ShopCard {
  return { id: shop.id, name: shop.name, slug: shop.slug, url: `/shops/${shop.slug}`, logoUrl: uploadUrl(shop.logo_path), currency: shop.currency };
}

async function membersOf(shopId: number): Promise<ShopMemberInfo[]> {
  const rows = await ShopMember.findAll({ where: { shop_id: shopId }, order: [['created_at', 'ASC'], ['user_id', 'ASC']] });
  const members = rows.map((m) => ({ userId: m.user_id, role: m.role }));
  return [...members.filter((m) => m.role === 'owner'), ...members.filter((m) => m.role !== 'owner')];
}

export function createShopsService(): ShopsService {
  return {
    async hasPaidOrderContaining(userId, productId) {
      const found = await Order.findOne({
        where: { buyer_id: userId, status: KEPT_PAID, refunded_total: { [Op.lt]: col('Order.total') } },
        attributes: ['id'],
        include: [{ model: OrderItem, as: 'items', attributes: [], required: true, where: { product_id: productId } }],
      });
      return found !== null;
    },

    async orderParties(orderId) {
      const order = await Order.findByPk(orderId);
      if (!order) return undefined;
      const members = await membersOf(order.shop_id);
      return {
        orderId: order.id,
        number: order.number,
        status: order.status,
        buyerUserId: order.buyer_id,
        buyerEmail: order.email,
        shopId: order.shop_id,
        shopMemberIds: members.map((m) => m.userId),
      };
    },

    shopMembers: membersOf,

    async productCard(productId) {
      const product = await Product.findByPk(productId, { include: [{ model: Shop, as: 'shop', required: true }] });
      return product ? toProductCard(product) : undefined;
    },

    async productCards(productIds) {
      const ids = [...new Set(productIds)].filter(Number.isInteger);
      if (!ids.length) return new Map();
      const products = await Product.findAll({ where: { id: ids }, include: [{ model: Shop, as: 'shop', required: true }] });
      const cards = new Map<number, ProductCard>();
      for (const product of products) {
        const card = toProductCard(product);
        if (card) cards.set(product.id, card);
      }
      return cards;
    },

    async orderNumbers(orderIds) {
      const ids = [...new Set(orderIds)].filter(Number.isInteger);
      if (!ids.length) return new Map();
      const orders = await Order.findAll({ where: { id: ids }, attributes: ['id', 'number'] });
      return new Map(orders.map((o) => [o.id, o.number]));
    },

    async shopCard(shopId) {
      const shop = await Shop.findByPk(shopId);
      return shop ? toShopCard(shop) : undefined;
    },

    async refillCart(req, groupId) {
      const orders = await Order.findAll({ where: { group_id: groupId }, attributes: ['id'] });
      const items = await OrderItem.findAll({ where: { order_id: orders.map((o) => o.id), product_id: { [Op.ne]: null } }, order: [['id', 'ASC']] });
      const quantities = new Map<number, number>();
      for (const item of items) quantities.set(item.product_id!, (quantities.get(item.product_id!) ?? 0) + item.quantity);
      const existing = (await Product.findAll({ where: { id: [...quantities.keys()] }, attributes: ['id'] })).map((p) => p.id);
      const store = cartStoreFor(req);
      for (const productId of existing) await store.setQuantity(productId, quantities.get(productId)!);
      return existing.length;
    },

    async orderNotes(orderId) {
      const notes = await OrderNote.findAll({ where: { order_id: orderId }, order: [['created_at', 'ASC'], ['id', 'ASC']] });
      return notes.map((n) => ({ id: n.id, authorId: n.author_id, authorSide: n.author_side, body: n.body, createdAt: n.created_at }));
    },

    memberShopIds: (userId) => shopIdsOf(userId),

    async buyerOrders(userId, shopId) {
      const orders = await Order.findAll({ where: { buyer_id: userId, shop_id: shopId }, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: 50 });
      return orders.map((o) => ({ orderId: o.id, number: o.number, status: o.status, createdAt: o.created_at }));
    },

    async paidOrderItems(userId, productId) {
      const orders = await Order.findAll({
        where: { buyer_id: userId, status: KEPT_PAID, refunded_total: { [Op.lt]: col('Order.total') } },
        order: [['id', 'DESC']],
        include: [{ model: OrderItem, as: 'items', required: true, where: productId === undefined ? { product_id: { [Op.ne]: null } } : { product_id: productId } }],
      });
      return orders.flatMap((order) =>
        [...((order as Order & { items?: OrderItem[] }).items ?? [])]
          .sort((a, b) => a.id - b.id)
          .map((item) => ({ orderItemId: item.id, orderId: order.id, orderNumber: order.number, shopId: order.shop_id, paidAt: order.paid_at, productId: item.product_id as number, title: item.title })),
      );
    },

    async setProductRating(productId, { average, count }) {
      // silent: a new rating is not an edit of the product (its updated_at and hooks stay as they are).
      await Product.update({ rating_avg: count > 0 ? Math.round(average * 100) : 0, rating_count: Math.max(0, count) }, { where: { id: productId }, silent: true });
    },

    async orderItems(orderId) {
      const items = await OrderItem.findAll({ where: { order_id: orderId }, order: [['id', 'ASC']] });
      return items.map((item) => ({ orderItemId: item.id, orderId: item.order_id, productId: item.product_id, title: item.title }));
    },
  };
}

import { notFound, type PluginContext } from '@agora/core';
import { MessagingRefusal } from './refusal';

/** What a new conversation with a shop is about, and who its sides are, checked against shops' records. */
export interface Target {
  shopId: number;
  shopName: string;
  shopUrl: string;
  productId: number | null;
  productTitle: string | null;
  orderId: number | null;
  orderNumber: string | null;
  buyerId: number;
  starterSide: 'buyer' | 'seller';
}

export interface TargetQuery {
  shopId?: number;
  productId?: number;
  orderId?: number;
}

const id = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

/** `?shop=`, `?product=`, `?order=` of the form's address (or its hidden fields). */
export function targetQuery(source: Record<string, unknown>): TargetQuery {
  return { shopId: id(source.shop ?? source.shop_id), productId: id(source.product ?? source.product_id), orderId: id(source.order ?? source.order_id) };
}

/**
 * Resolves the target for `user`: an order they bought (buyer's side) or sold (seller's side, to a buyer with an
 * account), a published product, or a shop. Anything the person may not write about is a 404, as for a stranger.
 */
export async function resolveTarget(ctx: PluginContext, user: Express.User, query: TargetQuery): Promise<Target> {
  const shops = ctx.service('shops');
  if (query.orderId) {
    const parties = await shops.orderParties(query.orderId);
    const shop = parties ? await shops.shopCard(parties.shopId) : undefined;
    if (!parties || !shop) throw notFound('order');
    const base = { shopId: shop.id, shopName: shop.name, shopUrl: shop.url, productId: null, productTitle: null, orderId: parties.orderId, orderNumber: parties.number };
    if (parties.buyerUserId === user.id) return { ...base, buyerId: user.id, starterSide: 'buyer' };
    if (parties.shopMemberIds.includes(user.id)) {
      if (parties.buyerUserId === null) throw new MessagingRefusal('This order was placed without an account: write to the buyer in the order’s notes instead.');
      return { ...base, buyerId: parties.buyerUserId, starterSide: 'seller' };
    }
    throw notFound('order');
  }
  let shopId = query.shopId;
  let product: { id: number; title: string } | null = null;
  if (query.productId) {
    const card = await shops.productCard(query.productId);
    if (!card || !card.published) throw notFound('product');
    product = { id: card.id, title: card.title };
    shopId = card.shop.id;
  }
  const shop = shopId ? await shops.shopCard(shopId) : undefined;
  if (!shop) throw notFound('shop');
  if ((await shops.memberShopIds(user.id)).includes(shop.id)) throw new MessagingRefusal('This is your own shop: buyers contact you from its pages.');
  return { shopId: shop.id, shopName: shop.name, shopUrl: shop.url, productId: product?.id ?? null, productTitle: product?.title ?? null, orderId: null, orderNumber: null, buyerId: user.id, starterSide: 'buyer' };
}

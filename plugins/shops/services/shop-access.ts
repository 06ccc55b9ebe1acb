import type { RequestHandler } from 'express';
import { requireUser, forbidden, notFound, perRequest, type Actor } from '@agora/core';
import { Shop } from '../models/shop';
import { MEMBER_SHOPS_MEMO, ShopMember } from '../models/shop-member';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express declares its types in this namespace
  namespace Express {
    interface Request {
      /** The shop the signed-in seller runs, loaded by `requireSellerShop` on /seller routes. */
      sellerShop?: Shop;
    }
  }
}

/**
 * The ids of every shop the person is a member of (owner or staff), oldest first. Read once per request:
 * the /seller routes' scope, the seller's navigation and other plugins' counts (messaging) all ask.
 */
export function shopIdsOf(userId: number): Promise<number[]> {
  return perRequest(`${MEMBER_SHOPS_MEMO}${userId}`, async () => {
    const rows = await ShopMember.findAll({ where: { user_id: userId }, attributes: ['shop_id'], order: [['shop_id', 'ASC']] });
    return rows.map((r) => r.shop_id);
  });
}

/** Whether the person may run this shop because they are one of its members. */
export async function isMember(userId: number, shopId: number): Promise<boolean> {
  if (!Number.isInteger(userId) || !Number.isInteger(shopId)) return false;
  // From the person's shops, which the request has read already (or will need: the seller's navigation).
  return (await shopIdsOf(userId)).includes(shopId);
}

/** The shop a seller works in: the first one they joined (a person runs one shop from /seller). */
export async function sellerShopOf(userId: number): Promise<Shop | null> {
  const [first] = await shopIdsOf(userId);
  return first === undefined ? null : Shop.findByPk(first);
}

type Can = (actor: Actor | undefined | null, capability: string, object?: unknown) => Promise<boolean>;

/**
 * For every /seller route: a guest goes to the login page; a person without a shop is sent to
 * /seller/open (GET) or gets a 404 (anything else); the shop found is checked with
 * `shops.shop.manage` and put on `req.sellerShop`, so every query below can be scoped by its id.
 */
export function requireSellerShop(can: Can): RequestHandler[] {
  const load: RequestHandler = async (req, res, next) => {
    try {
      const shop = await sellerShopOf(req.user!.id);
      if (!shop) {
        if (req.method === 'GET') return res.redirect('/seller/open');
        return next(notFound('shop'));
      }
      if (!(await can(req.user, 'shops.shop.manage', shop))) return next(forbidden());
      req.sellerShop = shop;
      res.locals.sellerShop = shop;
      next();
    } catch (error) {
      next(error);
    }
  };
  return [requireUser, load];
}

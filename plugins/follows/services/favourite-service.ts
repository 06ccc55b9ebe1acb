import { fn, col } from 'sequelize';
import type { PluginContext } from '@agora/core';
import { Favourite } from '../models/favourite';
import { insertIgnore } from './insert-ignore';

export async function isFavourite(userId: number, productId: number): Promise<boolean> {
  return (await Favourite.count({ where: { user_id: userId, product_id: productId } })) > 0;
}

/** Favouriting twice at once is one favourite (the unique user + product pair). */
export async function favourite(ctx: PluginContext, userId: number, product: { id: number; shopId: number }): Promise<boolean> {
  return insertIgnore(
    ctx.sequelize,
    'INSERT INTO follows_favourites (user_id, product_id, shop_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id, product_id) DO NOTHING',
    [userId, product.id, product.shopId, new Date()],
    null,
  );
}

export async function unfavourite(userId: number, productId: number): Promise<boolean> {
  return (await Favourite.destroy({ where: { user_id: userId, product_id: productId } })) > 0;
}

/** How many people favourited each of a shop's products, most first: numbers for the seller, never names. */
export async function favouriteCounts(shopId: number, limit = 10): Promise<Array<{ productId: number; count: number }>> {
  const rows = (await Favourite.findAll({
    where: { shop_id: shopId },
    attributes: ['product_id', [fn('COUNT', col('id')), 'n']],
    group: ['product_id'],
    order: [[fn('COUNT', col('id')), 'DESC'], ['product_id', 'ASC']],
    limit,
    raw: true,
  })) as unknown as Array<{ product_id: number; n: number | string }>;
  return rows.map((r) => ({ productId: Number(r.product_id), count: Number(r.n) }));
}

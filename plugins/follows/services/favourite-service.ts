import { fn, col } from 'sequelize';
import { User, type PluginContext } from '@agora/core';
import { Favourite } from '../models/favourite';
import { Preference } from '../models/preference';
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

/** Which of these products the person has favourited: one query for a whole page of product cards. */
export async function favouritedAmong(userId: number, productIds: number[]): Promise<Set<number>> {
  if (!productIds.length) return new Set();
  const rows = await Favourite.findAll({ where: { user_id: userId, product_id: [...new Set(productIds)] }, attributes: ['product_id'] });
  return new Set(rows.map((r) => r.product_id));
}

/** The emails-about-favourites switch off (the link in those emails); the in-app notifications go on. */
export async function turnFavouriteEmailsOff(ctx: PluginContext, userId: number): Promise<void> {
  await ctx.sequelize.transaction(async (transaction) => {
    // An account closed since the email: nothing left to mail, nothing to write.
    if (!(await User.findByPk(userId, { attributes: ['id'], transaction }))) return;
    const [preference] = await Preference.findOrCreate({ where: { user_id: userId }, defaults: { user_id: userId, email_enabled: true }, transaction });
    await preference.update({ favourites_email_enabled: false, updated_at: new Date() }, { transaction });
  });
}

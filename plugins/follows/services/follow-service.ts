import { Op, col, fn, literal } from 'sequelize';
import { afterCommit, type PluginContext } from '@agora/core';
import { Follow } from '../models/follow';
import { Notification } from '../models/notification';
import { insertIgnore } from './insert-ignore';

export async function followerCount(shopId: number): Promise<number> {
  return Follow.count({ where: { shop_id: shopId } });
}

export async function isFollowing(userId: number, shopId: number): Promise<boolean> {
  return (await Follow.count({ where: { user_id: userId, shop_id: shopId } })) > 0;
}

/** A shop's followers and how many of them came since a date (the seller's dashboard), in one query. */
export async function followerCounts(shopId: number, since: Date): Promise<{ count: number; week: number }> {
  const [row] = (await Follow.findAll({
    where: { shop_id: shopId },
    attributes: [
      [fn('COUNT', col('id')), 'count'],
      [fn('SUM', literal(`CASE WHEN created_at >= ${Follow.sequelize!.escape(since)} THEN 1 ELSE 0 END`)), 'week'],
    ],
    raw: true,
  })) as unknown as Array<{ count: number | string | null; week: number | string | null }>;
  return { count: Number(row?.count ?? 0), week: Number(row?.week ?? 0) };
}

/** Followers gained since a date: the seller's "new this week", a number only. */
export async function followersSince(shopId: number, since: Date): Promise<number> {
  return Follow.count({ where: { shop_id: shopId, created_at: { [Op.gte]: since } } });
}

/**
 * Follows a shop; following twice (a double click, two tabs at once) is one follow: the row is inserted
 * unless the unique (user, shop) pair exists, and only the request that inserted it fires the hook.
 */
export async function follow(ctx: PluginContext, userId: number, shopId: number): Promise<{ created: boolean; count: number }> {
  return ctx.sequelize.transaction(async (tx) => {
    const now = new Date();
    const created = await insertIgnore(
      ctx.sequelize,
      'INSERT INTO follows_follows (user_id, shop_id, email_enabled, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id, shop_id) DO NOTHING',
      [userId, shopId, true, now],
      tx,
    );
    const count = await followerCount(shopId);
    if (created) afterCommit(tx, () => void ctx.hooks.do('follows.shop.followed', { userId, shopId, count }));
    return { created, count };
  });
}

/** Unfollows; what was waiting to be emailed about that shop is not sent (the in-app notifications stay). */
export async function unfollow(ctx: PluginContext, userId: number, shopId: number): Promise<{ removed: boolean; count: number }> {
  return ctx.sequelize.transaction(async (tx) => {
    const removed = (await Follow.destroy({ where: { user_id: userId, shop_id: shopId }, transaction: tx })) > 0;
    if (removed) await Notification.update({ email_status: 'skipped' }, { where: { user_id: userId, shop_id: shopId, email_status: 'pending' }, transaction: tx });
    const count = await followerCount(shopId);
    if (removed) afterCommit(tx, () => void ctx.hooks.do('follows.shop.unfollowed', { userId, shopId, count }));
    return { removed, count };
  });
}

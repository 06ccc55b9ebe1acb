import { Op } from 'sequelize';
import { User, type PluginContext } from '@agora/core';
import { Digest } from '../models/digest';
import { Follow } from '../models/follow';
import { Favourite } from '../models/favourite';
import { FollowEvent } from '../models/event';
import { Notification } from '../models/notification';
import { Preference } from '../models/preference';
import { insertIgnore } from './insert-ignore';
import { followMailFor } from './follow-mail';
import type { FollowsSettings } from '../settings';
import type { FanoutDeps } from './fanout-deps';

const openKey = (shopId: number) => `shop:${shopId}`;

/**
 * Makes sure a shop with notifications waiting for email has an open window, and that its job is queued
 * for when the window ends. The first event opens the window; the ones after it until then join it. Two
 * fan-outs opening one at once get the same row (unique `open_key`) and the same job (its dedupe key).
 */
export async function openDigest(deps: FanoutDeps, shopId: number): Promise<void> {
  const waiting = await Notification.findOne({ where: { shop_id: shopId, email_status: 'pending' }, attributes: ['id'] });
  if (!waiting) return;
  const windowMs = deps.settings().emailWindowMinutes * 60_000;
  // Twice at most: a window the email job closed between our insert and our read is followed by a new one.
  for (let attempt = 0; attempt < 2; attempt++) {
    const now = new Date();
    await insertIgnore(
      deps.sequelize,
      "INSERT INTO follows_digests (shop_id, open_key, status, due_at, sent_at, created_at) VALUES (?, ?, 'open', ?, NULL, ?) ON CONFLICT (open_key) DO NOTHING",
      [shopId, openKey(shopId), new Date(now.getTime() + windowMs), now],
      null,
    );
    const open = await Digest.findOne({ where: { open_key: openKey(shopId) } });
    if (!open) continue;
    await deps.queueDigest(open.id, Math.max(0, open.due_at.getTime() - Date.now()));
    return;
  }
}

/**
 * Which of the person's waiting notifications from this shop they still want by email, decided now (they
 * may have changed their settings since the fan-out): the all-emails switch on, and then, for a follower's
 * event, still following with this shop's emails on; for a favourite's, the favourite still kept, favourite
 * emails on, and this shop's emails not turned off by following it with email off.
 */
async function wanted(userId: number, shopId: number, events: FollowEvent[]): Promise<Set<number>> {
  const preference = await Preference.findByPk(userId);
  if (preference?.email_enabled === false) return new Set();
  const follow = await Follow.findOne({ where: { user_id: userId, shop_id: shopId }, attributes: ['email_enabled'] });
  const favourites = new Set(
    (await Favourite.findAll({ where: { user_id: userId, product_id: events.filter((e) => e.audience === 'favourites').map((e) => e.product_id) }, attributes: ['product_id'] })).map((f) => f.product_id),
  );
  const ok = new Set<number>();
  for (const e of events) {
    if (e.audience === 'favourites') {
      if (favourites.has(e.product_id) && preference?.favourites_email_enabled !== false && follow?.email_enabled !== false) ok.add(e.id);
    } else if (follow?.email_enabled) ok.add(e.id);
  }
  return ok;
}

/**
 * One person's email of one window: what is waiting for them from the shop is claimed (a conditional
 * update from `pending`) in the same transaction that writes the email to the outbox, so it is sent once
 * or, if the run stops before the commit, not at all and claimed again by the next run. What they no
 * longer want by email is marked `skipped` (it stays in the app).
 */
async function sendTo(ctx: PluginContext, digest: Digest, userId: number): Promise<void> {
  await ctx.sequelize.transaction(async (tx) => {
    const waiting = (await Notification.findAll({
      where: { user_id: userId, shop_id: digest.shop_id, email_status: 'pending' },
      include: [{ model: FollowEvent, as: 'event', required: true }],
      order: [['id', 'ASC']],
      transaction: tx,
    })) as Array<Notification & { event: FollowEvent }>;
    if (!waiting.length) return;
    const user = await User.findByPk(userId, { transaction: tx });
    const ok = user ? await wanted(userId, digest.shop_id, waiting.map((n) => n.event)) : new Set<number>();
    const skip = waiting.filter((n) => !ok.has(n.event_id)).map((n) => n.id);
    const send = waiting.filter((n) => ok.has(n.event_id)).map((n) => n.id);
    if (skip.length) await Notification.update({ email_status: 'skipped' }, { where: { id: skip, email_status: 'pending' }, transaction: tx });
    if (!send.length || !user) return;
    const [claimed] = await Notification.update({ email_status: 'sent', digest_id: digest.id }, { where: { id: send, email_status: 'pending' }, transaction: tx });
    if (!claimed) return;
    const rows = (await Notification.findAll({
      where: { id: send, email_status: 'sent', digest_id: digest.id },
      include: [{ model: FollowEvent, as: 'event', required: true }],
      order: [['id', 'ASC']],
      transaction: tx,
    })) as Array<Notification & { event: FollowEvent }>;
    const mail = await followMailFor(ctx, { userId, email: user.email, name: user.display_name }, digest.shop_id, rows.map((n) => n.event));
    if (mail) await ctx.mail.send(mail);
  });
}

/**
 * The email job of one window: closes it (later events open the next one), then sends each person with
 * something waiting one email, a page of people at a time, until nobody is left. Safe to run again
 * after a stop: what was sent is no longer `pending`.
 */
export async function sendDigest(ctx: PluginContext, settings: () => FollowsSettings, digestId: number): Promise<void> {
  const digest = await Digest.findByPk(digestId);
  if (!digest || digest.status === 'sent') return;
  if (digest.status === 'open') await Digest.update({ status: 'sending', open_key: null }, { where: { id: digest.id, status: 'open' } });
  for (;;) {
    const people = await Notification.findAll({
      where: { shop_id: digest.shop_id, email_status: 'pending' },
      attributes: ['user_id'],
      group: ['user_id'],
      order: [['user_id', 'ASC']],
      limit: settings().emailBatchSize,
    });
    if (!people.length) break;
    for (const { user_id } of people) await sendTo(ctx, digest, user_id);
  }
  await Digest.update({ status: 'sent', sent_at: new Date() }, { where: { id: digest.id, status: { [Op.ne]: 'sent' } } });
}

/** Hourly: a window for every shop with email waiting and none open (a job that stopped between its steps). */
export async function sweepWaiting(deps: FanoutDeps): Promise<void> {
  const shops = await Notification.findAll({ where: { email_status: 'pending' }, attributes: ['shop_id'], group: ['shop_id'] });
  // A window already open is found, not doubled; one opened beside a window still sending finds nothing left to send.
  for (const { shop_id } of shops) await openDigest(deps, shop_id);
}

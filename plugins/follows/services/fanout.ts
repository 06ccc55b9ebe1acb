import { Op } from 'sequelize';
import type { JobPayload } from '@agora/core';
import { Follow } from '../models/follow';
import { Favourite } from '../models/favourite';
import { FollowEvent } from '../models/event';
import { Notification } from '../models/notification';
import { Preference } from '../models/preference';
import { insertIgnore } from './insert-ignore';
import { openDigest } from './digest';
import type { FanoutDeps } from './fanout-deps';

export interface FanoutOptions {
  /**
   * Called inside each batch's transaction, after its rows are written and before it commits. A throw
   * rolls that batch back and ends the run, as a worker dying there would: the tests stop a run midway
   * with it, then let the queued job finish.
   */
  onBatch?: (batch: number) => void | Promise<void>;
}

type FanoutPayload = JobPayload<'follows.fanout'>;

/**
 * The event row, written once whatever the number of runs (unique `event_key`). Who is told is fixed
 * here: the shop's followers up to its newest follow id now. A product gone or unpublished before the
 * job ran is told to nobody.
 */
async function eventFor(deps: FanoutDeps, payload: FanoutPayload): Promise<FollowEvent | undefined> {
  const existing = await FollowEvent.findOne({ where: { event_key: payload.eventKey } });
  if (existing) return existing;
  const card = await deps.shops().productCard(payload.productId);
  if (!card || !card.published || card.shop.id !== payload.shopId) return undefined;
  const audience = payload.audience ?? 'followers';
  const limit = Number(
    (audience === 'favourites' ? await Favourite.max('id', { where: { product_id: card.id } }) : await Follow.max('id', { where: { shop_id: payload.shopId } })) ?? 0,
  );
  const price = payload.kind === 'discounted' && payload.price !== undefined ? payload.price : card.price;
  await insertIgnore(
    deps.sequelize,
    'INSERT INTO follows_events (event_key, kind, audience, shop_id, product_id, title, url, image_url, price, previous_price, currency, follower_limit, fanout_cursor, fanned_out_at, created_at) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?) ON CONFLICT (event_key) DO NOTHING',
    [payload.eventKey, payload.kind, audience, payload.shopId, card.id, card.title.slice(0, 200), card.url, card.imageUrl, price, payload.previousPrice ?? null, card.currency, limit, new Date()],
    null,
  );
  return (await FollowEvent.findOne({ where: { event_key: payload.eventKey } })) ?? undefined;
}

/**
 * The next people of the event's audience after its cursor, the id the cursor moves to, and whether each
 * may be emailed (the all-emails switch is applied by the caller). A discount's favourites skip people
 * who follow the shop (the followers' own event tells them).
 */
async function audienceBatch(event: FollowEvent, size: number): Promise<{ people: Array<{ userId: number; email: boolean }>; lastId: number | undefined }> {
  const after = { [Op.gt]: event.fanout_cursor, [Op.lte]: event.follower_limit };
  if (event.audience === 'favourites') {
    const rows = await Favourite.findAll({ where: { product_id: event.product_id, id: after }, order: [['id', 'ASC']], limit: size });
    const follows = new Map((await Follow.findAll({ where: { shop_id: event.shop_id, user_id: rows.map((r) => r.user_id) }, attributes: ['user_id', 'email_enabled'] })).map((f) => [f.user_id, f.email_enabled]));
    const favouritesOff = new Set((await Preference.findAll({ where: { user_id: rows.map((r) => r.user_id), favourites_email_enabled: false }, attributes: ['user_id'] })).map((p) => p.user_id));
    // A discount is told to followers by their own event; a restock only here, so followers are kept.
    const people = event.kind === 'discounted' ? rows.filter((r) => !follows.has(r.user_id)) : rows;
    // Email unless the person turned favourite emails off, or turned off this shop's emails while following it.
    return { people: people.map((r) => ({ userId: r.user_id, email: !favouritesOff.has(r.user_id) && follows.get(r.user_id) !== false })), lastId: rows.at(-1)?.id };
  }
  const rows = await Follow.findAll({ where: { shop_id: event.shop_id, id: after }, order: [['id', 'ASC']], limit: size });
  return { people: rows.map((f) => ({ userId: f.user_id, email: f.email_enabled })), lastId: rows.at(-1)?.id };
}

/**
 * Gives every person of the event's audience (the shop's followers, or a discounted product's
 * favouriters) one in-app notification (and marks it for email when they want follow emails), in batches of `fanoutBatchSize`, each its own transaction that also moves the
 * event's cursor. A run that stops midway leaves the committed batches and the cursor after them; the
 * next run carries on from there, and the unique (event, person) key means no batch is ever written
 * twice, even by two runs at once. Then it opens the shop's email window.
 */
export async function runFanout(deps: FanoutDeps, payload: FanoutPayload, options: FanoutOptions = {}): Promise<void> {
  const event = await eventFor(deps, payload);
  if (!event) return;
  let batch = 0;
  for (;;) {
    batch++;
    const more = await deps.sequelize.transaction(async (tx) => {
      const current = await FollowEvent.findByPk(event.id, { transaction: tx });
      if (!current || current.fanned_out_at) return false;
      const next = await audienceBatch(current, deps.settings().fanoutBatchSize);
      if (next.lastId === undefined) {
        await FollowEvent.update({ fanned_out_at: new Date() }, { where: { id: current.id, fanned_out_at: null }, transaction: tx });
        return false;
      }
      const userIds = next.people.map((p) => p.userId);
      const emailOff = new Set((await Preference.findAll({ where: { user_id: userIds, email_enabled: false }, attributes: ['user_id'], transaction: tx })).map((p) => p.user_id));
      const now = new Date();
      await Notification.bulkCreate(
        next.people.map((p) => ({ event_id: current.id, user_id: p.userId, shop_id: current.shop_id, email_status: p.email && !emailOff.has(p.userId) ? 'pending' : 'off', created_at: now })),
        { ignoreDuplicates: true, transaction: tx },
      );
      // Moved only from where this run read it: a second run that got here first has done this batch already.
      await FollowEvent.update({ fanout_cursor: next.lastId }, { where: { id: current.id, fanout_cursor: current.fanout_cursor }, transaction: tx });
      await options.onBatch?.(batch);
      return true;
    });
    if (!more) break;
  }
  await openDigest(deps, event.shop_id);
}

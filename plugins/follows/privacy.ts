import { Op } from 'sequelize';
import { User, retentionWhere, type Person, type PluginContext } from '@agora/core';
import { Follow } from './models/follow';
import { Favourite } from './models/favourite';
import { FollowEvent } from './models/event';
import { Notification } from './models/notification';
import { Preference } from './models/preference';

const PAGE = 200;

/** The account the rows hang on: given, or found by the person's email (a request made with the address only). */
async function accountOf(person: Person): Promise<number | undefined> {
  if (person.userId) return person.userId;
  return (await User.findOne({ where: { email: person.email }, attributes: ['id'] }))?.id;
}

/**
 * What follows keeps about a person: the shops they follow (and each one's email switch), their
 * notifications, and their all-emails switch. No column holds a name or an address (the rows hang on the
 * account id), so none is marked personal, but the rows are the person's: exported and erased with the account.
 */
export function registerFollowsPrivacy(ctx: PluginContext): void {
  ctx.privacy.exporter({
    name: 'follows',
    covers: {},
    async exportPage(person, page) {
      const userId = await accountOf(person);
      if (!userId) return { items: [], done: true };
      const items = [];
      if (page === 1) {
        const preference = await Preference.findByPk(userId);
        items.push({ group: 'Notification settings', id: userId, data: { 'Email about shops I follow': preference?.email_enabled === false ? 'off' : 'on', 'Email about my favourites': preference?.favourites_email_enabled === false ? 'off' : 'on' } });
        const follows = await Follow.findAll({ where: { user_id: userId }, order: [['id', 'ASC']] });
        for (const f of follows) {
          const shop = await ctx.service('shops').shopCard(f.shop_id);
          items.push({ group: 'Shops I follow', id: f.id, data: { shop: shop?.name ?? `shop #${f.shop_id}`, since: f.created_at.toISOString(), emails: f.email_enabled ? 'on' : 'off' } });
        }
        const favourites = await Favourite.findAll({ where: { user_id: userId }, order: [['id', 'ASC']] });
        for (const f of favourites) {
          const product = await ctx.service('shops').productCard(f.product_id);
          items.push({ group: 'Favourites', id: f.id, data: { product: product?.title ?? `product #${f.product_id}`, since: f.created_at.toISOString() } });
        }
      }
      const rows = await Notification.findAll({
        where: { user_id: userId },
        include: [{ model: FollowEvent, as: 'event', required: true }],
        order: [['id', 'ASC']],
        limit: PAGE,
        offset: (page - 1) * PAGE,
      });
      for (const n of rows as Array<Notification & { event: FollowEvent }>) {
        items.push({
          group: 'Notifications',
          id: n.id,
          data: { what: n.event.kind === 'discounted' ? 'discount' : 'new product', product: n.event.title, at: n.created_at.toISOString(), read: n.read_at ? n.read_at.toISOString() : 'unread', email: n.email_status },
        });
      }
      return { items, done: rows.length < PAGE };
    },
  });

  ctx.privacy.eraser({
    name: 'follows',
    covers: {},
    async erasePage(person) {
      const userId = await accountOf(person);
      if (!userId) return { removed: [], anonymized: [], retained: [], done: true };
      const where = { user_id: userId };
      const notifications = await Notification.destroy({ where });
      const follows = await Follow.destroy({ where });
      const settings = await Preference.destroy({ where });
      const favourites = await Favourite.destroy({ where });
      const removed = [
        ...(follows ? [`${follows} followed shops`] : []),
        ...(notifications ? [`${notifications} notifications`] : []),
        ...(settings ? ['notification settings'] : []),
        ...(favourites ? [`${favourites} favourites`] : []),
      ];
      return { removed, anonymized: [], retained: [], done: true };
    },
  });

  ctx.privacy.retention('notifications', {
    label: 'In-app notifications of followed shops (new products, discounts)',
    defaultDays: 365,
    legalBasis: 'contract',
    async apply(cutoff, transaction, scope) {
      const { where, held } = retentionWhere({ created_at: { [Op.lt]: cutoff }, email_status: { [Op.ne]: 'pending' } }, scope, { user: 'user_id' });
      const skipped = held ? await Notification.count({ where: held, transaction }) : 0;
      const removed = await Notification.destroy({ where, transaction });
      // Events no notification points to any more tell nobody anything.
      await ctx.sequelize.query(
        'DELETE FROM follows_events WHERE created_at < ? AND fanned_out_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM follows_notifications n WHERE n.event_id = follows_events.id)',
        { replacements: [cutoff], transaction },
      );
      return { removed, anonymized: 0, skipped };
    },
  });

  ctx.privacy.processing({
    data: ['the shops a person follows', 'the products they favourited', 'their notifications and whether they were read', 'their email choices'],
    purpose: 'Tell people of the new products and discounts of the shops they chose to follow, in their account and, if they want, by email',
    legalBasis: 'consent',
    recipients: ['nobody: a seller sees how many follow the shop, never who'],
    retention: 'while the person follows the shop; notifications follows.notifications (one year by default)',
  });
}

import { Op } from 'sequelize';
import { notFound, pageFrom, pager, parseForm, requireUser, type FieldErrors, type PluginContext } from '@agora/core';
import type { Request, Response } from 'express';
import { settingsSchema } from '../forms/follow-forms';
import { Follow } from '../models/follow';
import { FollowEvent } from '../models/event';
import { Notification } from '../models/notification';
import { Preference } from '../models/preference';
import { emailEnabled, favouritesEmailEnabled, followedShops, notificationsPage, shopCards } from '../services/account-views';
import type { FollowsSettings } from '../settings';

const MAX_SETTINGS_SHOPS = 500;

/** The account's follow pages: shops followed, notifications, and which of them may email. */
export function accountRoutes(ctx: PluginContext, settings: () => FollowsSettings): void {
  const { router } = ctx;

  router.get('/account/following', requireUser, async (req, res) => {
    const perPage = settings().notificationsPerPage;
    const page = pageFrom(req.query, perPage);
    const { follows, total } = await followedShops(ctx, req.user!.id, page.perPage, page.offset);
    await res.renderPage('follows/account/following', {
      title: 'Shops I follow',
      follows,
      pager: pager('/account/following', req.query as Record<string, unknown>, { page: page.page, perPage: page.perPage, total, noun: 'shops' }),
    });
  });

  router.get('/account/notifications', requireUser, async (req, res) => {
    const perPage = settings().notificationsPerPage;
    const page = pageFrom(req.query, perPage);
    const { lines, total } = await notificationsPage(ctx, req.user!.id, page.perPage, page.offset);
    await res.renderPage('follows/account/notifications', {
      title: 'Notifications',
      lines,
      pager: pager('/account/notifications', req.query as Record<string, unknown>, { page: page.page, perPage: page.perPage, total, noun: 'notifications' }),
    });
  });

  router.post('/account/notifications/read', requireUser, async (req, res) => {
    await Notification.update({ read_at: new Date() }, { where: { user_id: req.user!.id, read_at: null } });
    res.flash('success', 'Every notification is marked as read.');
    res.redirect(303, '/account/notifications');
  });

  const showSettings = async (req: Request, res: Response, errors: FieldErrors = {}, status = 200) => {
    const follows = await Follow.findAll({ where: { user_id: req.user!.id }, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: MAX_SETTINGS_SHOPS });
    const shops = await shopCards(ctx, follows.map((f) => f.shop_id));
    await res.renderPage(
      'follows/account/settings',
      {
        title: 'Notification settings',
        emailAll: await emailEnabled(req.user!.id),
        emailFavourites: await favouritesEmailEnabled(req.user!.id),
        shops: follows.flatMap((f) => (shops.get(f.shop_id) ? [{ shop: shops.get(f.shop_id)!, emailEnabled: f.email_enabled }] : [])),
        errors,
      },
      status,
    );
  };

  router.get('/account/notifications/settings', requireUser, (req, res) => showSettings(req, res));

  router.post('/account/notifications/settings', requireUser, async (req, res) => {
    const parsed = parseForm(settingsSchema, req.body);
    if (!parsed.ok) return showSettings(req, res, { form: 'These settings could not be read; please try again.', ...parsed.errors }, 422);
    const userId = req.user!.id;
    const { email_all, email_favourites, shown, email_shop } = parsed.data;
    const on = new Set(email_shop);
    await ctx.sequelize.transaction(async (tx) => {
      const [preference] = await Preference.findOrCreate({ where: { user_id: userId }, defaults: { user_id: userId, email_enabled: email_all === 'on' }, transaction: tx });
      await preference.update({ email_enabled: email_all === 'on', favourites_email_enabled: email_favourites === 'on', updated_at: new Date() }, { transaction: tx });
      // Only the person's own follows are touched, whatever ids the form carried.
      const shownIds = [...new Set(shown)];
      if (shownIds.length) {
        await Follow.update({ email_enabled: true }, { where: { user_id: userId, shop_id: shownIds.filter((id) => on.has(id)) }, transaction: tx });
        await Follow.update({ email_enabled: false }, { where: { user_id: userId, shop_id: shownIds.filter((id) => !on.has(id)) }, transaction: tx });
      }
    });
    res.flash('success', 'Your notification settings are saved.');
    res.redirect(303, '/account/notifications/settings');
  });

  // Opening a notification marks it read and goes to the product; another person's id is a 404.
  router.get('/account/notifications/:id', requireUser, async (req, res) => {
    const id = Number(req.params.id);
    const row = Number.isInteger(id) && id > 0 ? await Notification.findOne({ where: { id, user_id: req.user!.id }, include: [{ model: FollowEvent, as: 'event', required: true }] }) : null;
    if (!row) throw notFound('notification');
    await Notification.update({ read_at: new Date() }, { where: { id: row.id, read_at: { [Op.is]: null } } });
    res.redirect(303, (row as Notification & { event: FollowEvent }).event.url);
  });
}

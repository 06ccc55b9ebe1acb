import type { Request, Response } from 'express';
import { type PluginContext, requireUser, notFound, pageFrom, pager, parseForm, type FieldErrors } from '@agora/core';
import { Order } from '../models/order';
import { Shop } from '../models/shop';
import { unknownFields } from '../forms/cart-form';
import { NOTE_FIELDS, noteSchema } from '../forms/order-forms';
import { countryName } from '../services/countries';
import { orderByNumber, orderDetail } from '../services/order-detail';
import { addOrderNote } from '../services/order-notes';
import { STATUS_LABELS } from '../services/order-state';

const PER_PAGE = 20;

/** "My orders": a buyer's own orders, their history and notes. Another buyer's order is a 404, never a 403. */
export function accountOrderRoutes(ctx: PluginContext): void {
  const { router } = ctx;

  /** The signed-in buyer's order, or a 404 for anything else (someone else's order, a made-up number). */
  const ownOrder = async (req: Request): Promise<Order> => {
    const order = await orderByNumber(req.params.number);
    if (!order || order.buyer_id !== req.user!.id || !(await ctx.capabilities.can(req.user, 'shops.order.view', order))) throw notFound('order');
    return order;
  };

  const renderOrder = async (res: Response, order: Order, values: Record<string, unknown> = {}, errors: FieldErrors = {}, status = 200) => {
    const detail = await orderDetail(order);
    await res.renderPage('shops/orders/account-order', { title: `Order ${order.number}`, ...detail, statusLabels: STATUS_LABELS, countryName, values, errors }, status);
  };

  router.get('/account/orders', requireUser, async (req, res) => {
    const page = pageFrom(req.query, PER_PAGE);
    const { rows, count } = await Order.findAndCountAll({ where: { buyer_id: req.user!.id }, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: page.perPage, offset: page.offset });
    const shops = await Shop.findAll({ where: { id: [...new Set(rows.map((o) => o.shop_id))] }, attributes: ['id', 'name', 'slug'] });
    await res.renderPage('shops/orders/account-list', {
      title: 'My orders',
      orders: rows.map((order) => ({ order, shop: shops.find((s) => s.id === order.shop_id) })),
      pager: pager('/account/orders', req.query as Record<string, unknown>, { page: page.page, perPage: PER_PAGE, total: count, noun: 'orders' }),
      statusLabels: STATUS_LABELS,
    });
  });

  router.get('/account/orders/:number', requireUser, async (req, res) => renderOrder(res, await ownOrder(req)));

  router.post('/account/orders/:number/notes', requireUser, async (req, res) => {
    const order = await ownOrder(req);
    const tampered = unknownFields(req.body, (k) => NOTE_FIELDS.has(k));
    if (tampered) return renderOrder(res, order, {}, tampered, 422);
    const parsed = parseForm(noteSchema, req.body);
    if (!parsed.ok) return renderOrder(res, order, { body: String(req.body?.body ?? '') }, parsed.errors, 422);
    await addOrderNote(ctx, order, { id: req.user!.id, side: 'buyer' }, parsed.data.body);
    res.flash('success', 'Your note was sent to the seller.');
    res.redirect(303, `/account/orders/${encodeURIComponent(order.number)}`);
  });
}

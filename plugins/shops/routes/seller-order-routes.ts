import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { type PluginContext, requireUser, notFound, formatMoney, parseForm, type FieldErrors } from '@agora/core';
import { Order, type OrderStatus } from '../models/order';
import { findGateway } from '../payments/gateways';
import { MANUAL_GATEWAY_ID } from '../payments/manual-gateway';
import { REFUNDABLE, REFUND_LABELS } from '../payments/refunds';
import { unknownFields } from '../forms/cart-form';
import { NOTE_FIELDS, REFUND_FIELDS, STATUS_FIELDS, noteSchema, refundSchema, statusSchema } from '../forms/order-forms';
import { countryName } from '../services/countries';
import { orderByNumber, orderDetail } from '../services/order-detail';
import { addOrderNote } from '../services/order-notes';
import { RefundProblem, markOrderPaid, refundOrder, refundableLeft, settleGroup } from '../services/order-payments';
import { IllegalTransition, ORDER_TRANSITIONS, STATUS_LABELS, moveOrder } from '../services/order-state';
import { sellerShopOf, shopIdsOf } from '../services/shop-access';
import { orderSearchQuery } from '../forms/order-search-form';
import { csvLink, filtersFrom, ordersCsv, searchOrders, sendCsv } from '../services/order-search';

const PER_PAGE = 30;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express declares its types in this namespace
  namespace Express {
    interface Request {
      /** The shops whose orders the signed-in person runs; undefined means every shop (an admin). */
      orderShopIds?: number[];
    }
  }
}

/** The seller's side of orders: the list with filters, the order page, status changes, refunds and notes. */
export function sellerOrderRoutes(ctx: PluginContext): void {
  const { router } = ctx;

  const scope: RequestHandler = async (req, res, next) => {
    if (await ctx.capabilities.can(req.user, 'shops.orders.manage_all')) return next();
    const ids = await shopIdsOf(req.user!.id);
    if (ids.length === 0) {
      if (req.method === 'GET') return res.redirect('/seller/open');
      throw notFound('order');
    }
    req.orderShopIds = ids;
    next();
  };
  const guard = [requireUser, scope];

  /** The order, if this person may run it; otherwise a 404 that does not say whether it exists. */
  const managedOrder = async (req: Request): Promise<Order> => {
    const order = await orderByNumber(req.params.number);
    if (!order || !(await ctx.capabilities.can(req.user, 'shops.order.manage', order))) throw notFound('order');
    return order;
  };

  const navShop = async (req: Request) => (req.orderShopIds ? sellerShopOf(req.user!.id) : null);

  const renderOrder = async (req: Request, res: Response, order: Order, errors: FieldErrors = {}, status = 200, values: Record<string, unknown> = {}) => {
    const detail = await orderDetail(order);
    const moves = ORDER_TRANSITIONS[order.status].filter((to) => to !== 'expired');
    await res.renderPage(
      'shops/orders/seller-order',
      {
        title: `Order ${order.number}`,
        ...detail,
        moves: moves.filter((to) => to !== 'paid' || detail.group.gateway === MANUAL_GATEWAY_ID),
        gatewayTitle: (await findGateway(ctx, detail.group.gateway))?.title ?? detail.group.gateway,
        refundable: REFUNDABLE.includes(order.status) && order.refunded_total < order.total,
        refundLeft: Math.max(0, await refundableLeft(order)),
        refundLabels: REFUND_LABELS,
        refundKey: crypto.randomUUID(),
        statusLabels: STATUS_LABELS,
        countryName,
        navShop: await navShop(req),
        errors,
        values,
      },
      status,
    );
  };

  // The list: search by number or buyer, status and dates (GET, paginated), and the same orders as CSV.
  router.get('/seller/orders', ...guard, async (req, res) => {
    const found = await searchOrders(req.query, req.orderShopIds, PER_PAGE);
    await res.renderPage('shops/orders/seller-list', {
      title: 'Orders',
      search: { ...found, action: '/seller/orders', csv: csvLink('/seller/orders.csv', found.applied), orderUrl: '/seller/orders/', manyShops: !req.orderShopIds || req.orderShopIds.length > 1 },
      navShop: await navShop(req),
    });
  });

  router.get('/seller/orders.csv', ...guard, async (req, res) => {
    const { filters } = filtersFrom(orderSearchQuery.parse(req.query), req.orderShopIds);
    await sendCsv(res, `orders-${new Date().toISOString().slice(0, 10)}.csv`, ordersCsv(filters));
  });

  router.get('/seller/orders/:number', ...guard, async (req, res) => renderOrder(req, res, await managedOrder(req)));

  router.post('/seller/orders/:number/status', ...guard, async (req, res) => {
    const order = await managedOrder(req);
    const tampered = unknownFields(req.body, (k) => STATUS_FIELDS.has(k));
    if (tampered) return renderOrder(req, res, order, tampered, 422);
    const parsed = parseForm(statusSchema, req.body);
    if (!parsed.ok) return renderOrder(req, res, order, { form: Object.values(parsed.errors)[0] }, 422);
    const { to, tracking_number: tracking, note } = parsed.data;
    const actorId = req.user!.id;
    try {
      if (to === 'paid') {
        const group = (await orderDetail(order)).group;
        if (group.gateway !== MANUAL_GATEWAY_ID) return renderOrder(req, res, order, { form: `This order is paid through ${group.gateway}; the provider confirms its payment.` }, 409);
        await markOrderPaid(ctx, order, actorId, note);
      } else if (to === 'cancelled') {
        await ctx.sequelize.transaction(async (transaction) => {
          await moveOrder(ctx, order, 'cancelled', { actorId, note: note || 'Cancelled by the seller', transaction });
          await settleGroup(order.group_id, transaction);
        });
      } else {
        await moveOrder(ctx, order, to as OrderStatus, { actorId, note, trackingNumber: tracking || undefined });
      }
    } catch (error) {
      if (error instanceof IllegalTransition) {
        await order.reload();
        return renderOrder(req, res, order, { form: error.message }, 409);
      }
      throw error;
    }
    res.flash('success', `Order ${order.number} is now ${STATUS_LABELS[to].toLowerCase()}.`);
    res.redirect(303, `/seller/orders/${encodeURIComponent(order.number)}`);
  });

  router.post('/seller/orders/:number/refund', ...guard, async (req, res) => {
    const order = await managedOrder(req);
    const tampered = unknownFields(req.body, (k) => REFUND_FIELDS.has(k));
    if (tampered) return renderOrder(req, res, order, tampered, 422);
    const parsed = parseForm(refundSchema(order.currency), req.body);
    const values = { amount: String(req.body?.amount ?? ''), reason: String(req.body?.reason ?? '') };
    if (!parsed.ok) return renderOrder(req, res, order, parsed.errors, 422, values);
    try {
      const { refund, repeated } = await refundOrder(ctx, order, {
        amount: parsed.data.amount,
        idempotencyKey: parsed.data.idempotency_key,
        reason: parsed.data.reason,
        actorId: req.user!.id,
      });
      if (repeated) res.flash('info', 'That refund was already asked for; nothing more was refunded.');
      else if (refund.status === 'pending') res.flash('info', `Refund of ${formatMoney(refund.amount, order.currency)} asked; it is recorded when the provider confirms it.`);
      else res.flash('success', `Refunded ${formatMoney(refund.amount, order.currency)}.`);
    } catch (error) {
      if (error instanceof IllegalTransition) return renderOrder(req, res, await order.reload(), { form: error.message }, 409, values);
      if (error instanceof RefundProblem) {
        // Beside the amount while the refund form is shown; at the top once there is nothing left to refund.
        const now = await order.reload();
        const field = REFUNDABLE.includes(now.status) && now.refunded_total < now.total ? 'amount' : 'form';
        return renderOrder(req, res, now, { [field]: error.message }, 422, values);
      }
      throw error;
    }
    res.redirect(303, `/seller/orders/${encodeURIComponent(order.number)}`);
  });

  router.post('/seller/orders/:number/notes', ...guard, async (req, res) => {
    const order = await managedOrder(req);
    const tampered = unknownFields(req.body, (k) => NOTE_FIELDS.has(k));
    if (tampered) return renderOrder(req, res, order, tampered, 422);
    const parsed = parseForm(noteSchema, req.body);
    if (!parsed.ok) return renderOrder(req, res, order, parsed.errors, 422, { body: String(req.body?.body ?? '') });
    const member = (await shopIdsOf(req.user!.id)).includes(order.shop_id);
    await addOrderNote(ctx, order, { id: req.user!.id, side: member ? 'seller' : 'admin' }, parsed.data.body);
    res.flash('success', 'Your note was sent to the buyer.');
    res.redirect(303, `/seller/orders/${encodeURIComponent(order.number)}`);
  });
}

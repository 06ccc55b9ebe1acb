import type { Request, Response } from 'express';
import { type PluginContext, notFound, parseForm, type FieldErrors } from '@agora/core';
import { CheckoutGroup } from '../models/checkout-group';
import { Order } from '../models/order';
import { OrderItem } from '../models/order-item';
import { OrderNote } from '../models/order-note';
import { OrderStatusHistory } from '../models/order-status-history';
import { Shop } from '../models/shop';
import { findGateway } from '../payments/gateways';
import { MANUAL_GATEWAY_ID, ManualGateway } from '../payments/manual-gateway';
import { unknownFields } from '../forms/cart-form';
import { noteSchema } from '../forms/order-forms';
import { countryName } from '../services/countries';
import { groupKey, validGroupKey } from '../services/order-links';
import { addOrderNote } from '../services/order-notes';
import { STATUS_LABELS } from '../services/order-state';

const GUEST_NOTE_FIELDS = new Set(['order', 'body']);

/**
 * The confirmation page of a checkout: what a guest keeps instead of an account. It opens with the
 * key of the link in the confirmation email (or for the logged-in buyer who placed it), shows every
 * order of the group with its history, and takes notes to the sellers.
 */
export function guestOrderRoutes(ctx: PluginContext): void {
  const { router } = ctx;
  const secret = ctx.config.sessionSecret;

  /** The group the request may see, or a 404 that says nothing about whether it exists. */
  const visibleGroup = async (req: Request): Promise<CheckoutGroup> => {
    const reference = String(req.params.reference);
    const group = /^[A-Z0-9-]{5,40}$/.test(reference) ? await CheckoutGroup.findOne({ where: { reference } }) : null;
    if (!group) throw notFound('order');
    const ownGroup = req.user && group.buyer_id === req.user.id;
    if (!ownGroup && !validGroupKey(secret, reference, req.query.key)) throw notFound('order');
    return group;
  };

  const render = async (req: Request, res: Response, group: CheckoutGroup, errors: FieldErrors = {}, status = 200, values: Record<string, unknown> = {}) => {
    const orders = await Order.findAll({ where: { group_id: group.id }, order: [['id', 'ASC']] });
    const ids = orders.map((o) => o.id);
    const [items, history, notes, shops] = await Promise.all([
      OrderItem.findAll({ where: { order_id: ids }, order: [['id', 'ASC']] }),
      OrderStatusHistory.findAll({ where: { order_id: ids }, order: [['created_at', 'ASC'], ['id', 'ASC']] }),
      OrderNote.findAll({ where: { order_id: ids }, order: [['created_at', 'ASC'], ['id', 'ASC']] }),
      Shop.findAll({ where: { id: orders.map((o) => o.shop_id) } }),
    ]);
    let instructions = '';
    if (req.session.lastCheckout?.reference === group.reference) {
      instructions = req.session.lastCheckout.instructions;
      delete req.session.lastCheckout;
    } else if (group.gateway === MANUAL_GATEWAY_ID && orders.some((o) => o.status === 'pending')) {
      const manual = await findGateway(ctx, MANUAL_GATEWAY_ID);
      if (manual instanceof ManualGateway) instructions = manual.instructions(group.reference);
    }
    await res.renderPage(
      'shops/cart/confirmation',
      {
        title: `Order ${group.reference}`,
        group,
        key: groupKey(secret, group.reference),
        orders: orders.map((order) => {
          const shop = shops.find((s) => s.id === order.shop_id);
          return {
            order,
            shop,
            items: items.filter((i) => i.order_id === order.id),
            history: history.filter((h) => h.order_id === order.id),
            notes: notes
              .filter((n) => n.order_id === order.id)
              .map((note) => ({ note, author: note.author_side === 'buyer' ? order.ship_name : note.author_side === 'admin' ? 'Marketplace team' : (shop?.name ?? 'Seller') })),
          };
        }),
        instructions,
        cancelled: req.query.cancelled === '1',
        statusLabels: STATUS_LABELS,
        countryName,
        errors,
        values,
      },
      status,
    );
  };

  router.get('/checkout/orders/:reference', async (req, res) => render(req, res, await visibleGroup(req)));

  router.post('/checkout/orders/:reference/notes', async (req, res) => {
    const group = await visibleGroup(req);
    const number = typeof req.body?.order === 'string' ? req.body.order : '';
    // The order named by the form must be one of this group's: another group's number is a 404 too.
    const order = number ? await Order.findOne({ where: { number, group_id: group.id } }) : null;
    if (!order) throw notFound('order');
    const tampered = unknownFields(req.body, (k) => GUEST_NOTE_FIELDS.has(k));
    if (tampered) return render(req, res, group, tampered, 422);
    const parsed = parseForm(noteSchema, { body: req.body?.body });
    if (!parsed.ok) return render(req, res, group, { [`body_${order.id}`]: parsed.errors.body ?? 'Write your note', form: parsed.errors.body ?? 'Write your note' }, 422);
    await addOrderNote(ctx, order, { id: req.user && group.buyer_id === req.user.id ? req.user.id : null, side: 'buyer' }, parsed.data.body);
    res.flash('success', 'Your note was sent to the seller.');
    res.redirect(303, `/checkout/orders/${encodeURIComponent(group.reference)}?key=${groupKey(secret, group.reference)}`);
  });
}

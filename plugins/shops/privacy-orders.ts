import { Op, type WhereOptions } from 'sequelize';
import type { PluginContext, ExportItem, Person, Retained } from '@agora/core';
import { Address } from './models/address';
import { Cart } from './models/cart';
import { CartItem } from './models/cart-item';
import { CartVariantItem } from './models/product-variant';
import { CheckoutGroup } from './models/checkout-group';
import { Order } from './models/order';
import { OrderItem } from './models/order-item';
import { OrderNote } from './models/order-note';
import { OrderStatusHistory } from './models/order-status-history';
import { Refund } from './models/refund';
import type { ShopsSettings } from './settings';
import { PAID_STATUSES, restock } from './services/order-state';

/** What a kept order's email becomes: the invoice needs no way to reach the person. */
export const ERASED_EMAIL = 'erased@erased.invalid';
const PAGE = 100;

const ORDER_COLUMNS = ['email', 'ship_name', 'ship_line1', 'ship_line2', 'ship_city', 'ship_postcode', 'phone'];
const ADDRESS_COLUMNS = ['name', 'line1', 'line2', 'city', 'postcode', 'phone'];

/** The person's orders: placed from their account, or as a guest with their email. */
function ordersOf(person: Person): WhereOptions<Order> {
  const email = person.email.toLowerCase();
  const who = person.userId ? { [Op.or]: [{ buyer_id: person.userId }, { email }] } : { email };
  return { [Op.and]: [who, { anonymized_at: null }] };
}

function groupsOf(person: Person): WhereOptions<CheckoutGroup> {
  const email = person.email.toLowerCase();
  return person.userId ? { [Op.or]: [{ buyer_id: person.userId }, { email }] } : { email };
}

/** The date until which a paid order must be kept for tax. */
export function keptUntil(paidAt: Date, years: number): Date {
  const until = new Date(paidAt);
  until.setUTCFullYear(until.getUTCFullYear() + years);
  return until;
}

/**
 * Exporters and erasers of everything the checkout stores about a person: orders (with items, notes,
 * history, refunds), checkout groups, saved addresses and the cart. A paid order is kept for
 * taxRetentionYears from its payment with the buyer reduced to what an invoice needs; the rest goes.
 */
export function registerOrderPrivacy(ctx: PluginContext): void {
  const years = () => ctx.settings.get<ShopsSettings>().taxRetentionYears;

  ctx.privacy.exporter({
    name: 'orders',
    covers: { Order: ORDER_COLUMNS, OrderNote: ['body'] },
    async exportPage(person, page) {
      const orders = await Order.findAll({ where: ordersOf(person), order: [['id', 'ASC']], limit: PAGE, offset: (page - 1) * PAGE });
      const ids = orders.map((o) => o.id);
      const [items, notes, history, refunds] = await Promise.all([
        OrderItem.findAll({ where: { order_id: ids }, order: [['id', 'ASC']] }),
        OrderNote.findAll({ where: { order_id: ids }, order: [['id', 'ASC']] }),
        OrderStatusHistory.findAll({ where: { order_id: ids }, order: [['id', 'ASC']] }),
        Refund.findAll({ where: { order_id: ids }, order: [['id', 'ASC']] }),
      ]);
      const out: ExportItem[] = orders.map((o) => ({
        group: 'Orders',
        id: o.number,
        data: {
          number: o.number,
          status: o.status,
          placed_at: o.created_at,
          paid_at: o.paid_at,
          shipped_at: o.shipped_at,
          currency: o.currency,
          subtotal: o.subtotal,
          shipping: o.shipping_total,
          total: o.total,
          refunded: o.refunded_total,
          discount: o.discount_total + o.platform_discount,
          tax: o.tax_total,
          coupons: o.coupon_codes ? o.coupon_codes.split(',') : [],
          shipping_method: o.shipping_method,
          tracking_number: o.tracking_number,
          email: o.email,
          ship_to: { name: o.ship_name, line1: o.ship_line1, line2: o.ship_line2, city: o.ship_city, postcode: o.ship_postcode, country: o.ship_country },
          phone: o.phone,
          items: items.filter((i) => i.order_id === o.id).map((i) => ({ title: i.title, sku: i.sku, options: i.options_text, unit_price: i.unit_price, quantity: i.quantity, discount: i.discount, tax_rate: i.tax_rate, tax: i.tax_amount, line_total: i.line_total })),
          notes: notes.filter((n) => n.order_id === o.id).map((n) => ({ from: n.author_side, body: n.body, at: n.created_at })),
          history: history.filter((h) => h.order_id === o.id).map((h) => ({ from: h.from_status, to: h.to_status, note: h.note, at: h.created_at })),
          refunds: refunds.filter((r) => r.order_id === o.id).map((r) => ({ amount: r.amount, reason: r.reason, status: r.status, at: r.created_at })),
        },
      }));
      // Notes the person wrote on other people's orders (as a seller) are theirs too.
      if (page === 1 && person.userId) {
        const written = await OrderNote.findAll({ where: { author_id: person.userId, ...(ids.length ? { order_id: { [Op.notIn]: ids } } : {}) }, order: [['id', 'ASC']], limit: 10_000 });
        for (const n of written) out.push({ group: 'Order notes you wrote', id: `note-${n.id}`, data: { order_id: n.order_id, body: n.body, at: n.created_at } });
      }
      return { items: out, done: orders.length < PAGE };
    },
  });

  ctx.privacy.exporter({
    name: 'checkout-groups',
    covers: { CheckoutGroup: ['email'] },
    async exportPage(person, page) {
      const groups = await CheckoutGroup.findAll({ where: groupsOf(person), order: [['id', 'ASC']], limit: PAGE, offset: (page - 1) * PAGE });
      return {
        items: groups.map((g) => ({ group: 'Checkouts', id: g.reference, data: { reference: g.reference, email: g.email, currency: g.currency, total: g.total, payment_method: g.gateway, status: g.status, at: g.created_at } })),
        done: groups.length < PAGE,
      };
    },
  });

  ctx.privacy.exporter({
    name: 'addresses',
    covers: { Address: ADDRESS_COLUMNS },
    async exportPage(person) {
      const rows = person.userId ? await Address.findAll({ where: { user_id: person.userId }, order: [['id', 'ASC']] }) : [];
      return {
        items: rows.map((a) => ({ group: 'Saved addresses', id: a.id, data: { name: a.name, line1: a.line1, line2: a.line2, city: a.city, postcode: a.postcode, country: a.country, phone: a.phone } })),
        done: true,
      };
    },
  });

  ctx.privacy.exporter({
    name: 'cart',
    covers: {},
    async exportPage(person) {
      const cart = person.userId ? await Cart.findOne({ where: { user_id: person.userId } }) : null;
      const items = cart ? await CartItem.findAll({ where: { cart_id: cart.id }, order: [['product_id', 'ASC']] }) : [];
      // Lines of one variant of a product (size M...) are kept apart from the product's own lines.
      const variants = cart ? await CartVariantItem.findAll({ where: { cart_id: cart.id }, order: [['variant_id', 'ASC']] }) : [];
      return {
        items: [
          ...items.map((i) => ({ group: 'Cart', id: i.product_id, data: { product_id: i.product_id, quantity: i.quantity, added_at: i.created_at } })),
          ...variants.map((i) => ({ group: 'Cart', id: `variant-${i.variant_id}`, data: { variant_id: i.variant_id, quantity: i.quantity, added_at: i.created_at } })),
        ],
        done: true,
      };
    },
  });

  ctx.privacy.eraser({
    name: 'orders',
    covers: { Order: ORDER_COLUMNS, OrderNote: ['body'], CheckoutGroup: ['email'] },
    async erasePage(person) {
      const removed: string[] = [];
      const anonymized: string[] = [];
      const retained: Retained[] = [];
      const orders = await Order.findAll({ where: ordersOf(person), order: [['id', 'ASC']], limit: PAGE });
      const now = new Date();
      const keepYears = years();
      const groupIds = new Set<number>();
      await ctx.sequelize.transaction(async (transaction) => {
        for (const order of orders) {
          groupIds.add(order.group_id);
          const paidAt = order.paid_at ?? order.created_at;
          const until = keptUntil(paidAt, keepYears);
          if (PAID_STATUSES.includes(order.status) && until > now) {
            // The invoice keeps the name and the town (country, city, postcode); nothing that reaches the person.
            await order.update({ email: ERASED_EMAIL, ship_line1: '', ship_line2: '', phone: '', buyer_id: null, anonymized_at: now }, { transaction });
            const notes = await OrderNote.destroy({ where: { order_id: order.id, author_side: 'buyer' }, transaction });
            anonymized.push(`Order ${order.number}: email, street address and phone removed`);
            if (notes) removed.push(`${notes} note${notes === 1 ? '' : 's'} on order ${order.number}`);
            retained.push({
              what: `Order ${order.number} (name, city, postcode, country, items and amounts)`,
              reason: `Tax law: invoices are kept for ${keepYears} years after payment`,
              until: until.toISOString().slice(0, 10),
              covers: { Order: ['ship_name', 'ship_city', 'ship_postcode'] },
            });
            continue;
          }
          // An order still holding stock gives it back before it goes.
          if (order.status === 'pending') await restock(order.id, transaction);
          for (const model of [OrderItem, OrderNote, OrderStatusHistory, Refund] as const) {
            await (model as typeof OrderItem).destroy({ where: { order_id: order.id }, transaction });
          }
          await order.destroy({ transaction });
          removed.push(`Order ${order.number}`);
        }
        if (person.userId && orders.length < PAGE) {
          const notes = await OrderNote.destroy({ where: { author_id: person.userId }, transaction });
          if (notes) removed.push(`${notes} order note${notes === 1 ? '' : 's'} written as a seller`);
        }
        const groups = await CheckoutGroup.findAll({ where: { [Op.or]: [{ id: { [Op.in]: [...groupIds] } }, groupsOf(person)] }, transaction });
        for (const group of groups) {
          const left = await Order.count({ where: { group_id: group.id }, transaction });
          if (left === 0) {
            await group.destroy({ transaction });
            removed.push(`Checkout ${group.reference}`);
          } else if (group.buyer_id !== null || group.email !== ERASED_EMAIL) {
            const others = await Order.count({ where: { group_id: group.id, anonymized_at: null }, transaction });
            // A group whose orders are all kept anonymized keeps only its amounts.
            if (others === 0) {
              await group.update({ email: ERASED_EMAIL, buyer_id: null }, { transaction });
              anonymized.push(`Checkout ${group.reference}: email removed`);
            }
          }
        }
      });
      return { removed, anonymized, retained, done: orders.length < PAGE };
    },
  });

  ctx.privacy.eraser({
    name: 'addresses',
    covers: { Address: ADDRESS_COLUMNS },
    async erasePage(person) {
      const n = person.userId ? await Address.destroy({ where: { user_id: person.userId } }) : 0;
      return { removed: n ? [`${n} saved address${n === 1 ? '' : 'es'}`] : [], anonymized: [], retained: [], done: true };
    },
  });

  ctx.privacy.eraser({
    name: 'cart',
    covers: {},
    async erasePage(person) {
      const cart = person.userId ? await Cart.findOne({ where: { user_id: person.userId } }) : null;
      if (!cart) return { removed: [], anonymized: [], retained: [], done: true };
      const n = (await CartItem.destroy({ where: { cart_id: cart.id } })) + (await CartVariantItem.destroy({ where: { cart_id: cart.id } }));
      await cart.destroy();
      return { removed: [`Cart${n ? ` (${n} item${n === 1 ? '' : 's'})` : ''}`], anonymized: [], retained: [], done: true };
    },
  });
}

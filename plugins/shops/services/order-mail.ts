import { Op } from 'sequelize';
import { type PluginContext, User, formatMoney } from '@agora/core';
import { CheckoutGroup } from '../models/checkout-group';
import { Order, type OrderStatus } from '../models/order';
import type { Refund } from '../models/refund';
import { OrderItem } from '../models/order-item';
import type { OrderNote } from '../models/order-note';
import { Shop } from '../models/shop';
import { Invoice } from '../models/invoice';
import { invoicePath } from '../routes/invoice-routes';
import { ShopMember } from '../models/shop-member';
import { countryName } from './countries';
import { groupPath } from './order-links';
import { STATUS_LABELS } from './order-state';
import { findGateway } from '../payments/gateways';

type Ctx = Pick<PluginContext, 'mail' | 'config' | 'log' | 'hooks'>;

/** The emails of everyone who runs the shop. */
export async function sellerEmails(shopId: number): Promise<string[]> {
  const members = await ShopMember.findAll({ where: { shop_id: shopId }, attributes: ['user_id'] });
  if (members.length === 0) return [];
  const users = await User.findAll({ where: { id: { [Op.in]: members.map((m) => m.user_id) } }, attributes: ['email'] });
  return [...new Set(users.map((u) => u.email))];
}

async function adminEmails(): Promise<string[]> {
  const admins = await User.findAll({ where: { role: 'admin' }, attributes: ['email'] });
  return admins.map((u) => u.email);
}

/** Where the buyer reads the order: their account, or the signed link of a guest checkout. */
export function buyerLink(ctx: Pick<PluginContext, 'config'>, order: Order, reference: string): string {
  return order.buyer_id ? `/account/orders/${encodeURIComponent(order.number)}` : groupPath(ctx.config.sessionSecret, reference);
}

interface MailOrder {
  order: Order;
  shop: Shop;
  items: OrderItem[];
}

async function loadGroup(groupId: number): Promise<{ group: CheckoutGroup; orders: MailOrder[] } | null> {
  const group = await CheckoutGroup.findByPk(groupId);
  if (!group) return null;
  const orders = await Order.findAll({ where: { group_id: group.id }, order: [['id', 'ASC']] });
  const items = await OrderItem.findAll({ where: { order_id: { [Op.in]: orders.map((o) => o.id) } }, order: [['id', 'ASC']] });
  const shops = await Shop.findAll({ where: { id: { [Op.in]: orders.map((o) => o.shop_id) } } });
  return {
    group,
    orders: orders.map((order) => ({ order, shop: shops.find((s) => s.id === order.shop_id)!, items: items.filter((i) => i.order_id === order.id) })),
  };
}

/** After a checkout: the buyer gets every order of the group, each shop's sellers their order, the admins the fees. */
export async function sendCheckoutMails(ctx: Ctx, groupId: number, instructions: string): Promise<void> {
  const loaded = await loadGroup(groupId);
  if (!loaded) return;
  const { group, orders } = loaded;
  // The payment method by its title ("Pay on delivery or by bank transfer"), not its id.
  const gatewayTitle = (await findGateway(ctx, group.gateway))?.title ?? group.gateway;
  const common = { group, orders, countryName, money: formatMoney, statusLabels: STATUS_LABELS, gatewayTitle };
  await ctx.mail.send({
    to: group.email,
    // The buyer's account (none for a guest): the outbox eraser finds the mail by it even if the address differs.
    userId: group.buyer_id ?? undefined,
    subject: `Your order ${group.reference}`,
    template: 'shops/mail/buyer-confirmation',
    data: { ...common, instructions, link: buyerLink(ctx, orders[0].order, group.reference) },
  });
  for (const entry of orders) {
    for (const to of await sellerEmails(entry.shop.id)) {
      await ctx.mail.send({
        to,
        subject: `New order ${entry.order.number} for ${entry.shop.name}`,
        template: 'shops/mail/seller-order',
        data: { ...common, entry, link: `/seller/orders/${encodeURIComponent(entry.order.number)}` },
      });
    }
  }
  const fees = orders.reduce((s, o) => s + o.order.platform_fee, 0);
  for (const to of await adminEmails()) {
    await ctx.mail.send({ to, subject: `Checkout ${group.reference}: ${orders.length} order${orders.length === 1 ? '' : 's'}`, template: 'shops/mail/admin-checkout', data: { ...common, fees } });
  }
}

/** A note goes to the other side: the buyer's to the shop's sellers, a seller's (or admin's) to the buyer. */
export async function sendNoteMail(ctx: Ctx, note: OrderNote, order: Order): Promise<void> {
  const shop = await Shop.findByPk(order.shop_id);
  const group = await CheckoutGroup.findByPk(order.group_id);
  if (!shop || !group) return;
  const toSellers = note.author_side === 'buyer' || note.author_side === 'admin';
  const toBuyer = note.author_side !== 'buyer' && !order.anonymized_at;
  if (toSellers) {
    for (const to of await sellerEmails(shop.id)) {
      await ctx.mail.send({
        to,
        subject: `Note on order ${order.number}`,
        template: 'shops/mail/order-note',
        data: { money: formatMoney, order, shop, note, from: note.author_side === 'buyer' ? order.ship_name : 'The marketplace team', link: `/seller/orders/${encodeURIComponent(order.number)}` },
      });
    }
  }
  if (toBuyer) {
    await ctx.mail.send({
      to: order.email,
      userId: order.buyer_id ?? undefined,
      subject: `Note from ${shop.name} on order ${order.number}`,
      template: 'shops/mail/order-note',
      data: { money: formatMoney, order, shop, note, from: note.author_side === 'admin' ? 'The marketplace team' : shop.name, link: buyerLink(ctx, order, group.reference) },
    });
  }
}

const TOLD_TO_BUYER: readonly OrderStatus[] = ['paid', 'shipped', 'completed', 'cancelled', 'expired'];

/** Tells the buyer what happened to their order (payment received, shipped with tracking, refunded...). */
export async function sendStatusMail(ctx: Ctx, order: Order, to: OrderStatus): Promise<void> {
  if (!TOLD_TO_BUYER.includes(to) || order.anonymized_at) return;
  const shop = await Shop.findByPk(order.shop_id);
  const group = await CheckoutGroup.findByPk(order.group_id);
  if (!shop || !group) return;
  await ctx.mail.send({
    to: order.email,
    userId: order.buyer_id ?? undefined,
    subject: `Order ${order.number}: ${STATUS_LABELS[to].toLowerCase()}`,
    template: 'shops/mail/order-status',
    data: { money: formatMoney, order, shop, status: to, label: STATUS_LABELS[to], link: buyerLink(ctx, order, group.reference), invoiceLink: await invoiceLinkOf(ctx, order) },
  });
}

/** The paid order's invoice (issued in the payment's transaction), as a link the buyer can open, guest or not. */
async function invoiceLinkOf(ctx: Ctx, order: Order): Promise<string | null> {
  const invoice = await Invoice.findOne({ where: { order_id: order.id, kind: 'invoice' }, attributes: ['id', 'buyer_id'] });
  return invoice ? invoicePath(ctx.config.sessionSecret, invoice) : null;
}

/** Tells the buyer a refund was made: how much, why, and what was refunded in all. */
export async function sendRefundMail(ctx: Ctx, order: Order, refund: Refund): Promise<void> {
  if (order.anonymized_at) return;
  const shop = await Shop.findByPk(order.shop_id);
  const group = await CheckoutGroup.findByPk(order.group_id);
  if (!shop || !group) return;
  await ctx.mail.send({
    to: order.email,
    userId: order.buyer_id ?? undefined,
    subject: `Order ${order.number}: ${formatMoney(refund.amount, order.currency)} refunded`,
    template: 'shops/mail/order-refunded',
    data: { money: formatMoney, order, shop, refund, label: STATUS_LABELS[order.status], link: buyerLink(ctx, order, group.reference) },
  });
}

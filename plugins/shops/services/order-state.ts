import { Op, type Transaction } from 'sequelize';
import { rootTransaction, type PluginContext } from '@agora/core';
import { Order, type OrderStatus } from '../models/order';
import { OrderItem } from '../models/order-item';
import { OrderStatusHistory } from '../models/order-status-history';
import { Product } from '../models/product';
import { Shop } from '../models/shop';
import { releaseCoupons } from './coupon-service';
import { issueInvoice } from './invoice-service';
import { announceRestocked } from './restock-announce';
import { restockVariants } from './variant-stock';

/**
 * The one state machine every order follows:
 *   pending → paid → shipped → completed
 *   pending → cancelled | expired
 * Refunds do not move an order: they are records on it (payments/refunds.ts), summed in `refunded_total`,
 * and the order keeps its fulfilment status. The one exception is a full refund of an order not yet
 * shipped, which cancels it (`fullRefund` below): there is nothing left to send.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'cancelled', 'expired'],
  paid: ['shipped'],
  shipped: ['completed'],
  completed: [],
  cancelled: [],
  expired: [],
};

/** Statuses of an order whose money was taken: kept for tax, counted in sales. */
export const PAID_STATUSES: readonly OrderStatus[] = ['paid', 'shipped', 'completed'];

export const STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  pending: 'Awaiting payment',
  paid: 'Paid',
  shipped: 'Shipped',
  completed: 'Completed',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

/** A move the state machine does not allow; routes answer 409 with its message. */
export class IllegalTransition extends Error {
  readonly status = 409;

  constructor(
    readonly orderNumber: string,
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`Order ${orderNumber} is ${STATUS_LABELS[from].toLowerCase()}; it cannot be marked ${STATUS_LABELS[to].toLowerCase()}.`);
  }
}

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

export interface MoveOptions {
  actorId?: number | null;
  note?: string;
  trackingNumber?: string;
  /** The order's whole total was refunded: a paid order not yet shipped may then be cancelled. */
  fullRefund?: boolean;
  /** Run inside this transaction (its commit fires the hooks); otherwise the move has its own. */
  transaction?: Transaction;
}

/** What a move needs of the plugin: firing its hooks. */
type Hooks = { hooks: Pick<PluginContext['hooks'], 'do'> };

/**
 * Moves an order to `to`, or throws IllegalTransition. The row is updated only if its status is still
 * the one read (a concurrent move makes this one fail, never both succeed). Every move writes a history
 * row; paid counts a sale; cancelled and expired put the stock back. Hooks fire after the commit.
 */
export async function moveOrder(ctx: Hooks, order: Order, to: OrderStatus, options: MoveOptions = {}): Promise<Order> {
  const run = async (transaction: Transaction): Promise<Order> => {
    const from = order.status;
    const refundCancels = options.fullRefund === true && from === 'paid' && to === 'cancelled';
    if (!canMove(from, to) && !refundCancels) throw new IllegalTransition(order.number, from, to);
    const now = new Date();
    const changes: Partial<Order> = { status: to, updated_at: now };
    if (to === 'paid') changes.paid_at = now;
    if (to === 'shipped') {
      changes.shipped_at = now;
      if (options.trackingNumber) changes.tracking_number = options.trackingNumber;
    }
    if (to === 'completed') changes.completed_at = now;
    const [count] = await Order.update(changes, { where: { id: order.id, status: from }, transaction });
    if (count !== 1) {
      const fresh = await Order.findByPk(order.id, { transaction });
      throw new IllegalTransition(order.number, fresh?.status ?? from, to);
    }
    await OrderStatusHistory.create(
      { order_id: order.id, from_status: from, to_status: to, note: (options.note ?? '').slice(0, 500), actor_id: options.actorId ?? null },
      { transaction },
    );
    if (to === 'paid') await Shop.increment('sales_count', { by: 1, where: { id: order.shop_id }, transaction });
    // The invoice's number is claimed in the payment's transaction: a payment rolled back leaves no gap.
    if (to === 'paid') await issueInvoice(order.id, transaction);
    const restocked = to === 'cancelled' || to === 'expired' ? await restock(order.id, transaction) : [];
    // An order given up before it was paid gives its coupon uses back (docs/shops-coupons.md).
    if (from === 'pending' && (to === 'cancelled' || to === 'expired')) await releaseCoupons(order.id, transaction);
    order.set(changes);
    // After the outermost commit: moved inside a provider's own transaction (a savepoint), it may still roll back.
    rootTransaction(transaction).afterCommit(async () => {
      await ctx.hooks.do('shops.order.status.changed', order, from, to);
      if (to === 'paid') await ctx.hooks.do('shops.order.paid', order);
      await announceRestocked(ctx.hooks, restocked, 'order');
    });
    return order;
  };
  if (options.transaction) return run(options.transaction);
  const sequelize = Order.sequelize!;
  return sequelize.transaction((transaction) => run(transaction));
}

/**
 * Gives an order's units back to its products (those with limited stock that still exist); returns the
 * ids of those that were sold out before (back in stock now, for `shops.product.restocked`). Read after
 * the increment, whose row lock holds until the commit, so the level before is exact.
 */
export async function restock(orderId: number, transaction: Transaction): Promise<number[]> {
  const items = await OrderItem.findAll({ where: { order_id: orderId, product_id: { [Op.ne]: null } }, order: [['product_id', 'ASC']], transaction });
  const given = new Map<number, number>();
  // A variant's units go back to the variant too (the product's stock is their sum).
  await restockVariants(orderId, transaction);
  for (const item of items) {
    await Product.increment('stock', { by: item.quantity, where: { id: item.product_id!, stock: { [Op.ne]: null } }, transaction });
    given.set(item.product_id!, (given.get(item.product_id!) ?? 0) + item.quantity);
  }
  if (!given.size) return [];
  const after = await Product.findAll({ where: { id: [...given.keys()], stock: { [Op.ne]: null } }, attributes: ['id', 'stock'], transaction });
  return after.filter((p) => p.stock !== null && p.stock - (given.get(p.id) ?? 0) <= 0 && p.stock > 0).map((p) => p.id);
}

import { Op } from 'sequelize';
import { CheckoutGroup } from '../models/checkout-group';
import { Order } from '../models/order';
import { OrderItem } from '../models/order-item';
import { OrderNote } from '../models/order-note';
import { OrderStatusHistory } from '../models/order-status-history';
import { Refund } from '../models/refund';
import { Shop } from '../models/shop';
import { User } from '@agora/core';

export interface OrderDetail {
  order: Order;
  group: CheckoutGroup;
  shop: Shop;
  items: OrderItem[];
  history: OrderStatusHistory[];
  notes: Array<{ note: OrderNote; author: string }>;
  refunds: Refund[];
  buyer: { display_name: string; email: string } | null;
}

/** An order by its number, or null; numbers look like "AG-7KQ2-M9XA-1". */
export async function orderByNumber(number: unknown): Promise<Order | null> {
  if (typeof number !== 'string' || !/^[A-Z0-9-]{5,40}$/.test(number)) return null;
  return Order.findOne({ where: { number } });
}

/** Everything an order page shows. */
export async function orderDetail(order: Order): Promise<OrderDetail> {
  const [group, shop, items, history, notes, refunds] = await Promise.all([
    CheckoutGroup.findByPk(order.group_id),
    Shop.findByPk(order.shop_id),
    OrderItem.findAll({ where: { order_id: order.id }, order: [['id', 'ASC']] }),
    OrderStatusHistory.findAll({ where: { order_id: order.id }, order: [['created_at', 'ASC'], ['id', 'ASC']] }),
    OrderNote.findAll({ where: { order_id: order.id }, order: [['created_at', 'ASC'], ['id', 'ASC']] }),
    Refund.findAll({ where: { order_id: order.id }, order: [['created_at', 'ASC'], ['id', 'ASC']] }),
  ]);
  const userIds = [...new Set([order.buyer_id, ...notes.map((n) => n.author_id)].filter((id): id is number => id !== null))];
  const users = userIds.length ? await User.findAll({ where: { id: { [Op.in]: userIds } }, attributes: ['id', 'display_name', 'email'] }) : [];
  const nameOf = (id: number | null) => users.find((u) => u.id === id)?.display_name;
  const buyerUser = users.find((u) => u.id === order.buyer_id);
  return {
    order,
    group: group!,
    shop: shop!,
    items,
    history,
    refunds,
    buyer: buyerUser ? { display_name: buyerUser.display_name, email: buyerUser.email } : null,
    notes: notes.map((note) => ({
      note,
      author: note.author_side === 'buyer' ? (nameOf(note.author_id) ?? order.ship_name) : note.author_side === 'admin' ? 'Marketplace team' : `${shop?.name ?? 'Seller'}${nameOf(note.author_id) ? ` (${nameOf(note.author_id)})` : ''}`,
    })),
  };
}

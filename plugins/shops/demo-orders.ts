import { Op } from 'sequelize';
import { type PluginContext, hashPassword, User } from '@agora/core';
import { Product } from './models/product';
import { Shop } from './models/shop';
import { MANUAL_GATEWAY_ID } from './payments/manual-gateway';
import type { CheckoutService } from './services/checkout-service';
import { markOrderPaid } from './services/order-payments';
import { moveOrder } from './services/order-state';

/** The demo buyer: log in with this email and password to see "My orders" filled in. */
export const DEMO_BUYER = { username: 'buyer', email: 'buyer@demo.agora.local', password: 'agora-demo-buyer', first: 'Amara', last: 'Okafor' };

const ADDRESS = { name: 'Amara Okafor', line1: '12 Rue des Lilas', line2: '', city: 'Lyon', postcode: '69003', country: 'FR' };

/**
 * A few orders for the demo, placed through the real checkout after the catalog is seeded (priority 20,
 * after part A's 10): two checkouts paid, one of them shipped, one waiting for its manual payment.
 */
export async function seedDemoOrders(ctx: PluginContext, checkout: CheckoutService): Promise<void> {
  let buyer = await User.findOne({ where: { email: DEMO_BUYER.email } });
  buyer ??= await User.create({
    username: DEMO_BUYER.username,
    email: DEMO_BUYER.email,
    first_name: DEMO_BUYER.first,
    last_name: DEMO_BUYER.last,
    display_name: `${DEMO_BUYER.first} ${DEMO_BUYER.last}`,
    password_hash: await hashPassword(DEMO_BUYER.password),
    birth_date: null,
    role: 'customer',
    email_verified_at: new Date(),
  });

  const shops = await Shop.findAll({ where: { vacation_mode: false }, order: [['id', 'ASC']], limit: 3 });
  const picks: Product[] = [];
  for (const shop of shops) {
    const product = await Product.findOne({
      where: { shop_id: shop.id, status: 'published', currency: 'EUR', [Op.or]: [{ stock: null }, { stock: { [Op.gte]: 5 } }] },
      order: [['id', 'ASC']],
    });
    if (product) picks.push(product);
  }
  if (picks.length === 0) {
    ctx.log.info('no demo products to order; demo orders skipped');
    return;
  }
  const baskets = [picks.slice(0, 2), picks.slice(-1), picks.slice(0, 1)].filter((b) => b.length > 0);
  for (const [i, basket] of baskets.entries()) {
    const outcome = await checkout
      .place({
      buyer: { id: buyer.id, email: buyer.email },
      email: buyer.email,
      address: ADDRESS,
      phone: '+33 4 72 00 00 00',
      gatewayId: MANUAL_GATEWAY_ID,
      lines: basket.map((p) => ({ productId: p.id, quantity: 1 + (i % 2) })),
      shipping: new Map(),
      saveAddress: i === 0,
      })
      .catch((error: unknown) => {
        ctx.log.warn({ err: error }, 'a demo order could not be placed');
        return null;
      });
    if (!outcome || i === baskets.length - 1) continue; // the last one waits for payment
    for (const order of outcome.orders) await markOrderPaid(ctx, order, null, 'Demo payment received');
    if (i === 0) await moveOrder(ctx, outcome.orders[0], 'shipped', { trackingNumber: 'DEMO-TRACK-0001', note: 'Posted with La Poste' });
  }
  ctx.log.info({ buyer: DEMO_BUYER.email }, 'demo orders placed');
}

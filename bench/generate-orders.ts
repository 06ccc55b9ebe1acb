/**
 * The marketplace's order history for the bench store: BENCH_ORDERS orders (1,000,000), each in its own
 * checkout group, with one to three items from the order's shop, spread over two years, in the statuses
 * their age makes likely (old orders completed, cancelled or expired; recent ones pending, paid or shipped).
 * Bulk multi-row inserts with explicit ids, a chunk per transaction, so an interrupted run resumes from the
 * last whole chunk. Street, town, postcode and phone are written encrypted with the store's data key, as
 * the Order model writes them, so the app reads them back.
 */
import { QueryTypes, type Sequelize } from 'sequelize';
import type { SingleBar } from 'cli-progress';
import { dataKeysOf } from '../core/privacy/encryption/encrypted-attribute';
import type { Platform } from '../core/platform';
import { bulkIds, rng, syncSequences } from './generate-support';

/** Orders with this reference prefix are the generator's: counted to resume, never touched otherwise. */
export const BENCH_ORDER_PREFIX = 'AG-BENCH';
const CHUNK = 2000;
const DAY = 24 * 3600_000;
const HISTORY_DAYS = 730;
/** A few shoppers buy much more than the rest: the "my orders" of a buyer with hundreds of orders. */
const REGULARS = 100;
const REGULAR_SHARE = 0.02;

const STREETS = ['Rua Augusta', 'Hauptstraße', 'Grafton Street', 'Rue de la République', 'Oudegracht', 'Floriańska'];
const CITIES = [
  { city: 'Lisbon', country: 'PT' },
  { city: 'Berlin', country: 'DE' },
  { city: 'Dublin', country: 'IE' },
  { city: 'Lyon', country: 'FR' },
  { city: 'Utrecht', country: 'NL' },
  { city: 'Krakow', country: 'PL' },
];

interface ProductRow {
  id: number;
  title: string;
  price: number;
}

interface Buyer {
  id: number;
  email: string;
  name: string;
  /** The encrypted address and phone, made once per buyer (an encryption per value is most of the cost). */
  line1: string;
  city: string;
  postcode: string;
  country: string;
  phone: string;
}

/** What an order's age makes of it: the status and the times of its steps. */
function lifeOf(created: Date, ageDays: number, random: () => number) {
  const at = (days: number) => new Date(created.getTime() + days * DAY + Math.floor(random() * DAY));
  const roll = random();
  if (ageDays > 30) {
    if (roll < 0.84) return { status: 'completed', paid: at(0), shipped: at(2), completed: at(9) };
    if (roll < 0.92) return { status: 'cancelled', paid: null, shipped: null, completed: null };
    if (roll < 0.97) return { status: 'expired', paid: null, shipped: null, completed: null };
    return { status: 'shipped', paid: at(0), shipped: at(3), completed: null };
  }
  if (ageDays < 2 && roll < 0.35) return { status: 'pending', paid: null, shipped: null, completed: null };
  if (ageDays < 7 && roll < 0.55) return { status: 'paid', paid: at(0), shipped: null, completed: null };
  if (ageDays < 14 && roll < 0.8) return { status: 'shipped', paid: at(0), shipped: at(2), completed: null };
  if (roll < 0.06) return { status: 'cancelled', paid: null, shipped: null, completed: null };
  return { status: 'completed', paid: at(0), shipped: at(2), completed: at(Math.min(9, Math.max(3, ageDays - 1))) };
}

const GROUP_STATUS: Record<string, string> = { pending: 'pending', paid: 'paid', shipped: 'paid', completed: 'paid', cancelled: 'cancelled', expired: 'expired' };

export async function generateOrders(platform: Platform, target: number, bar: SingleBar): Promise<void> {
  const { sequelize } = platform;
  const q = sequelize.getQueryInterface();
  const have = await benchOrderCount(sequelize);
  if (have >= target) return;
  const products = await sequelize.query<ProductRow & { shop_id: number }>("SELECT id, shop_id, title, price FROM products WHERE slug LIKE 'bench-product-%' ORDER BY id", { type: QueryTypes.SELECT });
  const byShop = new Map<number, ProductRow[]>();
  for (const p of products) byShop.set(p.shop_id, [...(byShop.get(p.shop_id) ?? []), p]);
  const shopIds = [...byShop.keys()].sort((a, b) => a - b);
  const shippingByShop = new Map(
    (await sequelize.query<{ shop_id: number; price: number; free_over: number | null }>('SELECT shop_id, price, free_over FROM shipping_methods', { type: QueryTypes.SELECT })).map((s) => [s.shop_id, s]),
  );
  const buyerRows = await sequelize.query<{ id: number; email: string; display_name: string }>("SELECT id, email, display_name FROM users WHERE username LIKE 'bench_buyer_%' ORDER BY id", { type: QueryTypes.SELECT });
  if (!shopIds.length || !buyerRows.length) throw new Error('Generate the catalog and the shoppers first (no bench products or buyers).');
  const keys = dataKeysOf(sequelize);
  const buyers = new Map<number, Buyer>();
  const buyerAt = (index: number): Buyer => {
    let buyer = buyers.get(index);
    if (buyer) return buyer;
    const row = buyerRows[index];
    const place = CITIES[index % CITIES.length];
    buyer = {
      id: row.id,
      email: row.email,
      name: row.display_name,
      line1: keys.encrypt(`${STREETS[index % STREETS.length]} ${1 + (index % 180)}`),
      city: keys.encrypt(place.city),
      postcode: keys.encrypt(String(10000 + ((index * 7919) % 89999))),
      country: place.country,
      phone: keys.encrypt(`+351 91${String(1000000 + index).slice(-7)}`),
    };
    buyers.set(index, buyer);
    return buyer;
  };

  const now = Date.now();
  bar.start(target, have, { task: 'orders  ' });
  for (let start = have; start < target; start += CHUNK) {
    const size = Math.min(CHUNK, target - start);
    // Seeded by the chunk: a resumed run makes the same orders it would have made.
    const random = rng(1_000_003 + start);
    const groups: Record<string, unknown>[] = [];
    const orders: Record<string, unknown>[] = [];
    const items: Record<string, unknown>[] = [];
    await sequelize.transaction(async (transaction) => {
      const groupIds = await bulkIds(sequelize, 'checkout_groups', size, transaction);
      const orderIds = await bulkIds(sequelize, 'orders', size, transaction);
      let itemId = (await bulkIds(sequelize, 'order_items', 0, transaction)).first;
      for (let i = 0; i < size; i++) {
        const n = start + i;
        const buyerIndex = random() < REGULAR_SHARE ? Math.floor(random() * Math.min(REGULARS, buyerRows.length)) : Math.floor(random() * buyerRows.length);
        const buyer = buyerAt(buyerIndex);
        const shopId = shopIds[Math.floor(random() * shopIds.length)];
        const stock = byShop.get(shopId)!;
        // Older orders are fewer: the marketplace grew. Squaring a uniform number leans the ages towards today.
        const ageDays = Math.floor(random() ** 2 * HISTORY_DAYS);
        const created = new Date(now - ageDays * DAY - Math.floor(random() * DAY));
        const life = lifeOf(created, ageDays, random);
        const orderId = orderIds.first + i;
        let subtotal = 0;
        const lines = 1 + Math.floor(random() * random() * 3);
        const taken = new Set<number>();
        for (let l = 0; l < lines; l++) {
          const product = stock[Math.floor(random() * stock.length)];
          if (taken.has(product.id)) continue;
          taken.add(product.id);
          const quantity = random() < 0.8 ? 1 : 2 + Math.floor(random() * 3);
          subtotal += product.price * quantity;
          items.push({ id: itemId++, order_id: orderId, product_id: product.id, title: product.title, unit_price: product.price, quantity, line_total: product.price * quantity, discount: 0, tax_class: 'standard', tax_rate: 0, tax_amount: 0, variant_id: null, sku: null, options_text: '' });
        }
        const shipping = shippingByShop.get(shopId);
        const shippingTotal = !shipping || (shipping.free_over !== null && subtotal >= shipping.free_over) ? 0 : shipping.price;
        const total = subtotal + shippingTotal;
        const reference = `${BENCH_ORDER_PREFIX}-${String(n).padStart(7, '0')}`;
        const updated = life.completed ?? life.shipped ?? life.paid ?? created;
        groups.push({ id: groupIds.first + i, reference, buyer_id: buyer.id, email: buyer.email, currency: 'EUR', total, gateway: 'manual', payment_ref: null, status: GROUP_STATUS[life.status], attempt: 1, review_reason: null, cart_claim: null, created_at: created, updated_at: updated });
        orders.push({
          id: orderId, number: `${reference}-1`, group_id: groupIds.first + i, shop_id: shopId, buyer_id: buyer.id, status: life.status, currency: 'EUR',
          subtotal, shipping_total: shippingTotal, total, platform_fee: Math.round(subtotal * 0.1), refunded_total: 0, discount_total: 0, platform_discount: 0,
          tax_total: 0, prices_include_tax: true, shipping_tax: 0, shipping_tax_rate: 0, coupon_codes: '', shipping_method: 'Standard',
          email: buyer.email, ship_name: buyer.name, ship_line1: buyer.line1, ship_line2: '', ship_city: buyer.city, ship_postcode: buyer.postcode, ship_country: buyer.country, phone: buyer.phone,
          tracking_number: life.shipped ? `TRK${String(n).padStart(9, '0')}` : null,
          paid_at: life.paid, shipped_at: life.shipped, completed_at: life.completed, anonymized_at: null, created_at: created, updated_at: updated,
        });
      }
      await q.bulkInsert('checkout_groups', groups, { transaction });
      await q.bulkInsert('orders', orders, { transaction });
      await q.bulkInsert('order_items', items, { transaction });
    });
    bar.update(start + size);
  }
  bar.stop();
  await syncSequences(sequelize, ['checkout_groups', 'orders', 'order_items']);
  // A shop's sales count is what its page shows: its completed orders.
  await sequelize.query("UPDATE shops SET sales_count = (SELECT COUNT(*) FROM orders WHERE orders.shop_id = shops.id AND orders.status = 'completed') WHERE slug LIKE 'bench-shop-%'");
}

export async function benchOrderCount(sequelize: Sequelize): Promise<number> {
  const [{ n }] = await sequelize.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM checkout_groups WHERE reference LIKE '${BENCH_ORDER_PREFIX}-%'`, { type: QueryTypes.SELECT });
  return Number(n);
}

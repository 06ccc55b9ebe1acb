import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { Op, QueryTypes, UniqueConstraintError, type Transaction } from 'sequelize';
import { Cart } from '../models/cart';
import { CartItem } from '../models/cart-item';
import { CartVariantItem } from '../models/product-variant';

/** A guest's cart, kept in the session until login merges it into the database. */
export interface SessionCart {
  /** productId → quantity. */
  items: Record<string, number>;
  /** variantId → quantity: a product with variants is in the cart by the variant chosen. */
  variants?: Record<string, number>;
  /** shopId → shipping method id. */
  shipping: Record<string, number>;
  /** One-time checkout token: a checkout group records it, so this cart is checked out once. */
  token?: string;
}

declare module 'express-session' {
  interface SessionData {
    cart?: SessionCart;
  }
}

/** What a cart holds, wherever it is kept. */
export interface CartContents {
  items: Map<number, number>;
  shipping: Map<number, number>;
  /** variantId → quantity (absent in contents made before variants: read as none). */
  variants?: Map<number, number>;
}

/**
 * The right to check out a cart once. A double click, or one account checking out from two windows,
 * sends two requests that read the same cart: the one whose `take` wins (a conditional update on the
 * cart's version, or the unique `cart_claim` of the checkout group) writes the orders; the others find
 * the group that recorded `key` and are sent to it.
 */
export interface CartClaim {
  /** Recorded on the checkout group (unique). */
  key: string;
  /** Put in the checkout page, so a request that arrives after the winner's commit still finds its order. */
  token: string;
  /** Inside the order's transaction: false when another checkout took this cart first. */
  take(transaction: Transaction): Promise<boolean>;
}

/** One interface over the two places a cart lives, so routes never ask which. */
export interface CartStore {
  read(): Promise<CartContents>;
  setQuantity(productId: number, quantity: number): Promise<void>;
  remove(productIds: number[], transaction?: Transaction): Promise<void>;
  setVariantQuantity(variantId: number, quantity: number): Promise<void>;
  removeVariants(variantIds: number[], transaction?: Transaction): Promise<void>;
  setShipping(shopId: number, methodId: number | null): Promise<void>;
  /** The claim a checkout of the cart as it is now must take. */
  claim(): Promise<CartClaim>;
  /** The claim key a token from a checkout page stands for (null when it cannot be this cart's). */
  claimKeyOf(token: string): Promise<string | null>;
  /** After a checkout: the next checkout of this cart needs a new claim. */
  claimed(): Promise<void>;
}

const GUEST_TOKEN = /^[a-f0-9]{32}$/;

const positiveInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;

/** Reads a session cart defensively: a session is data from the past and may hold anything. */
export function contentsOfSessionCart(raw: unknown): CartContents {
  const out: CartContents = { items: new Map(), shipping: new Map(), variants: new Map() };
  if (typeof raw !== 'object' || raw === null) return out;
  const { items, shipping, variants } = raw as Partial<SessionCart>;
  for (const [k, v] of Object.entries(items ?? {})) if (positiveInt(Number(k)) && positiveInt(v)) out.items.set(Number(k), v);
  for (const [k, v] of Object.entries(variants ?? {})) if (positiveInt(Number(k)) && positiveInt(v)) out.variants!.set(Number(k), v);
  for (const [k, v] of Object.entries(shipping ?? {})) if (positiveInt(Number(k)) && positiveInt(v)) out.shipping.set(Number(k), v);
  return out;
}

class SessionCartStore implements CartStore {
  constructor(private readonly req: Request) {}

  private get cart(): SessionCart {
    const current = contentsOfSessionCart(this.req.session.cart);
    const token = this.req.session.cart?.token;
    const cart: SessionCart = { items: Object.fromEntries(current.items), shipping: Object.fromEntries(current.shipping) };
    if (current.variants?.size) cart.variants = Object.fromEntries(current.variants);
    if (typeof token === 'string' && GUEST_TOKEN.test(token)) cart.token = token;
    this.req.session.cart = cart;
    return cart;
  }

  // A guest's cart lives in a session that concurrent requests each read as it was: only the database
  // can tell who was first, through the unique `cart_claim` the group records.
  async claim(): Promise<CartClaim> {
    const cart = this.cart;
    cart.token ??= randomBytes(16).toString('hex');
    return { key: `guest:${cart.token}`, token: cart.token, take: async () => true };
  }

  async claimKeyOf(token: string): Promise<string | null> {
    return GUEST_TOKEN.test(token) ? `guest:${token}` : null;
  }

  async claimed(): Promise<void> {
    if (this.req.session.cart) delete this.req.session.cart.token;
  }

  async read(): Promise<CartContents> {
    return contentsOfSessionCart(this.req.session?.cart);
  }

  async setQuantity(productId: number, quantity: number): Promise<void> {
    const cart = this.cart;
    cart.items[String(productId)] = quantity;
  }

  async remove(productIds: number[]): Promise<void> {
    const cart = this.cart;
    for (const id of productIds) delete cart.items[String(id)];
    this.dropIfEmpty(cart);
  }

  async setVariantQuantity(variantId: number, quantity: number): Promise<void> {
    const cart = this.cart;
    cart.variants = { ...cart.variants, [String(variantId)]: quantity };
  }

  async removeVariants(variantIds: number[]): Promise<void> {
    const cart = this.cart;
    for (const id of variantIds) delete cart.variants?.[String(id)];
    this.dropIfEmpty(cart);
  }

  private dropIfEmpty(cart: SessionCart): void {
    if (Object.keys(cart.items).length === 0 && Object.keys(cart.variants ?? {}).length === 0) delete this.req.session.cart;
  }

  async setShipping(shopId: number, methodId: number | null): Promise<void> {
    const cart = this.cart;
    if (methodId === null) delete cart.shipping[String(shopId)];
    else cart.shipping[String(shopId)] = methodId;
  }
}

/** The user's Cart row, created on first use (two requests at once create one row between them). */
export async function cartOf(userId: number, transaction?: Transaction): Promise<Cart> {
  const found = await Cart.findOne({ where: { user_id: userId }, transaction });
  if (found) return found;
  try {
    return await Cart.create({ user_id: userId }, { transaction });
  } catch (error) {
    if (!(error instanceof UniqueConstraintError) || transaction) throw error;
    return (await Cart.findOne({ where: { user_id: userId } }))!;
  }
}

export function shippingChoicesOf(cart: Cart): Map<number, number> {
  try {
    return contentsOfSessionCart({ shipping: JSON.parse(cart.shipping_choices) as unknown }).shipping;
  } catch {
    return new Map();
  }
}

class DatabaseCartStore implements CartStore {
  constructor(private readonly userId: number) {}

  async read(): Promise<CartContents> {
    const cart = await Cart.findOne({ where: { user_id: this.userId } });
    if (!cart) return { items: new Map(), shipping: new Map(), variants: new Map() };
    const [items, variants] = await Promise.all([
      CartItem.findAll({ where: { cart_id: cart.id }, order: [['created_at', 'ASC'], ['product_id', 'ASC']] }),
      CartVariantItem.findAll({ where: { cart_id: cart.id }, order: [['created_at', 'ASC'], ['variant_id', 'ASC']] }),
    ]);
    return { items: new Map(items.map((i) => [i.product_id, i.quantity])), shipping: shippingChoicesOf(cart), variants: new Map(variants.map((i) => [i.variant_id, i.quantity])) };
  }

  async setVariantQuantity(variantId: number, quantity: number): Promise<void> {
    const cart = await cartOf(this.userId);
    await CartVariantItem.upsert({ cart_id: cart.id, variant_id: variantId, quantity });
  }

  async removeVariants(variantIds: number[], transaction?: Transaction): Promise<void> {
    const cart = await Cart.findOne({ where: { user_id: this.userId }, transaction });
    if (!cart || variantIds.length === 0) return;
    await CartVariantItem.destroy({ where: { cart_id: cart.id, variant_id: { [Op.in]: variantIds } }, transaction });
  }

  async setQuantity(productId: number, quantity: number): Promise<void> {
    const cart = await cartOf(this.userId);
    await CartItem.upsert({ cart_id: cart.id, product_id: productId, quantity });
  }

  async remove(productIds: number[], transaction?: Transaction): Promise<void> {
    const cart = await Cart.findOne({ where: { user_id: this.userId }, transaction });
    if (!cart || productIds.length === 0) return;
    await CartItem.destroy({ where: { cart_id: cart.id, product_id: { [Op.in]: productIds } }, transaction });
  }

  async claim(): Promise<CartClaim> {
    const cart = await cartOf(this.userId);
    const version = cart.version;
    return {
      key: `cart:${cart.id}:${version}`,
      token: String(version),
      // Row-locking in PostgreSQL: a second checkout waits for the first to commit, then matches nothing.
      take: async (transaction) => (await Cart.update({ version: version + 1 }, { where: { id: cart.id, version }, transaction }))[0] === 1,
    };
  }

  async claimKeyOf(token: string): Promise<string | null> {
    if (!/^\d{1,10}$/.test(token)) return null;
    const cart = await Cart.findOne({ where: { user_id: this.userId }, attributes: ['id'] });
    return cart ? `cart:${cart.id}:${Number(token)}` : null;
  }

  async claimed(): Promise<void> {
    // The version moved on in the order's transaction.
  }

  async setShipping(shopId: number, methodId: number | null): Promise<void> {
    const cart = await cartOf(this.userId);
    const choices = Object.fromEntries(shippingChoicesOf(cart));
    if (methodId === null) delete choices[String(shopId)];
    else choices[String(shopId)] = methodId;
    await cart.update({ shipping_choices: JSON.stringify(choices) });
  }
}

/** The cart of whoever sent the request: the database for a logged-in person, the session for a guest. */
export function cartStoreFor(req: Request): CartStore {
  return req.user ? new DatabaseCartStore(req.user.id) : new SessionCartStore(req);
}

export function databaseCartStore(userId: number): CartStore {
  return new DatabaseCartStore(userId);
}

/** How many units the cart holds, for the header link. */
export async function cartCount(req: Request): Promise<number> {
  if (!req.user) {
    let n = 0;
    const contents = contentsOfSessionCart(req.session?.cart);
    for (const q of contents.items.values()) n += q;
    for (const q of contents.variants?.values() ?? []) n += q;
    return n;
  }
  // One query on every page a person sees: the cart by its user_id index, each kind of line by its cart_id.
  const rows = await Cart.sequelize!.query<{ n: number | string | null }>(
    `SELECT COALESCE((SELECT SUM(i.quantity) FROM ${CartItem.getTableName() as string} i WHERE i.cart_id = c.id), 0)
       + COALESCE((SELECT SUM(v.quantity) FROM ${CartVariantItem.getTableName() as string} v WHERE v.cart_id = c.id), 0) AS n
     FROM ${Cart.getTableName() as string} c WHERE c.user_id = :userId`,
    { replacements: { userId: req.user.id }, type: QueryTypes.SELECT },
  );
  return Number(rows[0]?.n ?? 0);
}

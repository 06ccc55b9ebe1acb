import { Op } from 'sequelize';
import { Product } from '../models/product';
import { Shop } from '../models/shop';
import { ShippingMethod } from '../models/shipping-method';
import { ProductVariant } from '../models/product-variant';
import type { CartContents } from './cart-store';
import { describeVariants } from './variant-service';
import { DOWNLOAD_OPTION, parcelSubtotal, shipsParcels } from './download-delivery';

/** The variant a cart line is of: its attribute values, SKU, price and stock. */
export interface CartLineVariant {
  id: number;
  /** "Size: M, Colour: Blue". */
  label: string;
  sku: string | null;
  price: number;
  compareAtPrice: number | null;
  stock: number | null;
  enabled: boolean;
}

export interface CartLine {
  product: Product;
  /** Set for a line of one variant of the product (its price and stock are the variant's). */
  variant?: CartLineVariant;
  quantity: number;
  lineTotal: number;
  /** Why this line cannot be bought as it is (sold out, draft, shop on vacation...). */
  problem?: string;
  /** Cannot be bought at all now (shop on vacation, product withdrawn): left out of the totals and of checkout. */
  unavailable?: boolean;
}

/** What a shop without any shipping method offers: the seller arranges delivery, at no charge. */
export const ARRANGED_DELIVERY = 'Delivery arranged by the seller';

export interface ShippingOption {
  id: number | null;
  name: string;
  price: number;
  /** The cost for this shop's subtotal (free over the method's threshold). */
  cost: number;
  freeOver: number | null;
  countries: string[];
  /** The "delivery" of a shop's part that is only downloads (services/download-delivery.ts): nothing ships. */
  download?: boolean;
}

export interface CartShopGroup {
  shop: Shop;
  currency: string;
  lines: CartLine[];
  subtotal: number;
  options: ShippingOption[];
  /** The chosen (or first) shipping option, for the cart's estimate. */
  chosen: ShippingOption;
}

export interface CurrencyTotals {
  currency: string;
  subtotal: number;
  shipping: number;
  total: number;
}

export interface CartView {
  groups: CartShopGroup[];
  currencies: string[];
  totals: CurrencyTotals[];
  /** Units in the cart. */
  count: number;
  /** Lines that can be checked out (whatever their quantity problems). */
  available: number;
  hasProblems: boolean;
  /** Product ids in the cart that no longer exist. */
  gone: number[];
}

/** The reason a quantity of a product cannot be added or bought, or undefined when it can. */
export function problemWith(product: Product | null | undefined, shop: Shop | null | undefined, quantity: number, maxQuantity: number): string | undefined {
  if (!product || product.status !== 'published' || !shop) return `${product ? `“${product.title}”` : 'This product'} is not for sale.`;
  // A product with variants is bought by the variant: the line of the product itself (in a cart from before its variants) is not.
  if (product.variant_count > 0 && !shop.vacation_mode) return `Choose an option of “${product.title}” on its page; this line cannot be bought as it is.`;
  if (shop.vacation_mode) return `${shop.name} is on vacation and takes no orders right now${shop.vacation_message ? `: ${shop.vacation_message}` : '.'}`;
  if (quantity > maxQuantity) return `You can order at most ${maxQuantity} of “${product.title}”.`;
  if (product.stock !== null && quantity > product.stock) {
    return product.stock === 0 ? `“${product.title}” is sold out.` : `Only ${product.stock} of “${product.title}” left in stock.`;
  }
  return undefined;
}

/** The reason a quantity of one variant cannot be added or bought: the product's reasons, then the variant's own. */
export function problemWithVariant(
  product: Product | null | undefined,
  variant: Pick<CartLineVariant, 'label' | 'stock' | 'enabled'> | null | undefined,
  shop: Shop | null | undefined,
  quantity: number,
  maxQuantity: number,
): string | undefined {
  if (!product || product.status !== 'published' || !shop) return `${product ? `“${product.title}”` : 'This product'} is not for sale.`;
  if (shop.vacation_mode) return problemWith(product, shop, quantity, maxQuantity);
  const name = `“${product.title}” (${variant?.label ?? 'this option'})`;
  if (!variant || !variant.enabled) return `${name} is no longer offered.`;
  if (quantity > maxQuantity) return `You can order at most ${maxQuantity} of ${name}.`;
  if (variant.stock !== null && quantity > variant.stock) return variant.stock <= 0 ? `${name} is sold out.` : `Only ${variant.stock} of ${name} left in stock.`;
  return undefined;
}

/** The variants in a cart, with what a line shows of them. */
export async function cartVariants(ids: number[]): Promise<Map<number, { variant: ProductVariant; line: Omit<CartLineVariant, 'price'> }>> {
  const variants = ids.length ? await ProductVariant.findAll({ where: { id: { [Op.in]: ids } } }) : [];
  const described = await describeVariants(variants);
  return new Map(
    described.map(({ variant, label }) => [variant.id, { variant, line: { id: variant.id, label, sku: variant.sku, compareAtPrice: variant.compare_at_price, stock: variant.stock, enabled: variant.enabled } }]),
  );
}

export function optionsFor(methods: ShippingMethod[], subtotal: number): ShippingOption[] {
  if (methods.length === 0) return [{ id: null, name: ARRANGED_DELIVERY, price: 0, cost: 0, freeOver: null, countries: [] }];
  return methods.map((m) => ({ id: m.id, name: m.name, price: m.price, cost: m.costFor(subtotal), freeOver: m.free_over, countries: m.countryList() }));
}

/** Loads a cart's products, shops and shipping methods and works out lines, problems and totals per shop. */
export async function buildCartView(contents: CartContents, maxQuantity: number): Promise<CartView> {
  const variantById = await cartVariants([...(contents.variants?.keys() ?? [])]);
  const ids = [...new Set([...contents.items.keys(), ...[...variantById.values()].map((v) => v.variant.product_id)])];
  const products = ids.length ? await Product.findAll({ where: { id: { [Op.in]: ids } } }) : [];
  const byId = new Map(products.map((p) => [p.id, p]));
  const shopIds = [...new Set(products.map((p) => p.shop_id))];
  const shops = shopIds.length ? await Shop.findAll({ where: { id: { [Op.in]: shopIds } } }) : [];
  const shopById = new Map(shops.map((s) => [s.id, s]));
  const methods = shopIds.length
    ? await ShippingMethod.findAll({ where: { shop_id: { [Op.in]: shopIds } }, order: [['position', 'ASC'], ['price', 'ASC'], ['id', 'ASC']] })
    : [];

  const groups = new Map<number, CartShopGroup>();
  const gone: number[] = [];
  let count = 0;
  for (const [productId, quantity] of contents.items) {
    const product = byId.get(productId);
    const shop = product ? shopById.get(product.shop_id) : undefined;
    if (!product || !shop) {
      gone.push(productId);
      continue;
    }
    let group = groups.get(shop.id);
    if (!group) {
      group = { shop, currency: product.currency, lines: [], subtotal: 0, options: [], chosen: undefined as unknown as ShippingOption };
      groups.set(shop.id, group);
    }
    // A product that now has variants cannot be bought without one: its old line waits in the cart.
    const unavailable = product.status !== 'published' || shop.vacation_mode || product.variant_count > 0;
    const line: CartLine = { product, quantity, lineTotal: product.price * quantity, problem: problemWith(product, shop, quantity, maxQuantity), unavailable };
    group.lines.push(line);
    if (!unavailable) group.subtotal += line.lineTotal;
    count += quantity;
  }
  for (const [variantId, quantity] of contents.variants ?? []) {
    const found = variantById.get(variantId);
    const product = found ? byId.get(found.variant.product_id) : undefined;
    const shop = product ? shopById.get(product.shop_id) : undefined;
    // A variant gone is told as its product would be (the route removes lines of neither).
    if (!found || !product || !shop) continue;
    let group = groups.get(shop.id);
    if (!group) {
      group = { shop, currency: product.currency, lines: [], subtotal: 0, options: [], chosen: undefined as unknown as ShippingOption };
      groups.set(shop.id, group);
    }
    const variant: CartLineVariant = { ...found.line, price: found.variant.priceOf(product.price) };
    const unavailable = product.status !== 'published' || shop.vacation_mode || !variant.enabled;
    const line: CartLine = { product, variant, quantity, lineTotal: variant.price * quantity, problem: problemWithVariant(product, variant, shop, quantity, maxQuantity), unavailable };
    group.lines.push(line);
    if (!unavailable) group.subtotal += line.lineTotal;
    count += quantity;
  }
  for (const group of groups.values()) {
    // A shop's part that is only downloads ships nothing; in a mixed one delivery is charged on the parcels (docs/shops-digital.md).
    const digitalOnly = !shipsParcels(group.lines) && group.lines.some((l) => !l.unavailable);
    group.options = digitalOnly ? [DOWNLOAD_OPTION] : optionsFor(methods.filter((m) => m.shop_id === group.shop.id), parcelSubtotal(group.lines));
    const choice = contents.shipping.get(group.shop.id);
    group.chosen = group.options.find((o) => o.id === choice) ?? group.options[0];
  }
  const list = [...groups.values()];
  const currencies = [...new Set(list.map((g) => g.currency))];
  const totals = currencies.map((currency) => {
    const of = list.filter((g) => g.currency === currency);
    const subtotal = of.reduce((s, g) => s + g.subtotal, 0);
    // A shop none of whose lines can be bought ships nothing.
    const shipping = of.reduce((s, g) => s + (g.lines.some((l) => !l.unavailable) ? g.chosen.cost : 0), 0);
    return { currency, subtotal, shipping, total: subtotal + shipping };
  });
  const available = list.reduce((n, g) => n + g.lines.filter((l) => !l.unavailable).length, 0);
  return { groups: list, currencies, totals, count, available, hasProblems: list.some((g) => g.lines.some((l) => l.problem)), gone };
}

import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { PluginContext, FieldErrors } from '@agora/core';
import { Address } from '../models/address';
import { CheckoutGroup } from '../models/checkout-group';
import { Order } from '../models/order';
import { OrderItem } from '../models/order-item';
import { OrderStatusHistory } from '../models/order-status-history';
import { Product } from '../models/product';
import { Shop } from '../models/shop';
import { ShippingMethod } from '../models/shipping-method';
import type { PaymentStart } from '../payments/gateway';
import { availableGateways } from '../payments/gateways';
import { paymentRequestFor } from '../payments/payment-request';
import type { ShopsSettings } from '../settings';
import { cartVariants, optionsFor, problemWith, problemWithVariant, type ShippingOption } from './cart-service';
import type { CartClaim } from './cart-store';
import { countryName } from './countries';
import { groupPath, newReference, orderNumber } from './order-links';
import { moveOrder } from './order-state';
import { platformFee } from './pricing';
import { takeVariantStock, variantStockLeft, type VariantTaken } from './variant-stock';
import { priceBaskets, type PricedBaskets } from './checkout-pricing';
import { CouponUsedUp, redeemCoupons } from './coupon-service';
import type { OrderMoney } from './order-pricing';
import { DOWNLOAD_OPTION, parcelSubtotal, shipsParcels } from './download-delivery';

export interface CheckoutAddress {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postcode: string;
  /** ISO code, upper case. */
  country: string;
}

export interface CheckoutRequest {
  buyer: { id: number; email: string } | null;
  email: string;
  address: CheckoutAddress;
  phone: string;
  gatewayId: string;
  /** What is bought; quantities come from the cart, prices from the database, never from the browser. */
  lines: Array<{ productId: number; quantity: number; /** The variant bought, for a product with variants. */ variantId?: number }>;
  /** shopId → chosen shipping method id. */
  shipping: Map<number, number>;
  saveAddress: boolean;
  /** Coupon codes applied in the cart (upper case): validated again here and counted in the order's transaction. */
  couponCodes?: string[];
  /** The right to consume the cart: taken first in the order's transaction, so one cart makes one checkout. */
  claim?: CartClaim;
  /**
   * Runs inside the order's transaction once the group and its orders are written (the logged-in buyer's cart
   * rows go with the orders, and the checkout form's sections commit here). Throwing rolls the checkout back.
   */
  inTransaction?: (transaction: Transaction, placed: { group: CheckoutGroup; orders: Order[] }) => Promise<void>;
}

export interface CheckoutOutcome {
  group: CheckoutGroup;
  orders: Order[];
  payment: PaymentStart;
  /** The confirmation page, with the key that lets a guest come back to it. */
  confirmationPath: string;
}

/** Input that is well formed but cannot be bought as it is: re-render the checkout with these, 422. */
export class CheckoutProblem extends Error {
  constructor(
    readonly errors: FieldErrors,
    /** The orders were written, then cancelled because the payment could not start: the cart must be given back. */
    readonly afterOrders = false,
  ) {
    super(Object.values(errors)[0] ?? 'The checkout could not be completed');
  }
}

/** Another checkout of the same cart (a double click, a second window) was first; `key` names the group it made. */
export class CartAlreadyCheckedOut extends Error {
  constructor(readonly key: string) {
    super('This cart was already checked out');
  }
}

interface ShopPlan {
  shop: Shop;
  lines: Array<{ product: Product; quantity: number; lineTotal: number; variant?: VariantTaken }>;
  subtotal: number;
  shipping: ShippingOption;
  fee: number;
  /** Discounts, tax and total at the delivery country (services/order-pricing.ts). */
  money?: OrderMoney;
}

export const PENDING_EXPIRY_JOB = 'expire-group';
export const CHECKOUT_MAIL_JOB = 'checkout-mails';

/**
 * Turns a cart into one checkout group with one order per shop, paid by one payment. Everything that
 * costs money is computed here from the database; the stock is taken inside the transaction with a
 * conditional update, so two buyers can never both take the last unit.
 */
export class CheckoutService {
  constructor(private readonly ctx: PluginContext) {}

  async place(request: CheckoutRequest): Promise<CheckoutOutcome> {
    const settings = this.ctx.settings.get<ShopsSettings>();
    const plans = await this.plan(request, settings);
    const currency = plans[0].lines[0].product.currency;
    const priced = await this.price(request, settings, plans, currency);
    const gateway = (await availableGateways(this.ctx, currency)).find((g) => g.id === request.gatewayId);
    if (!gateway) throw new CheckoutProblem({ gateway: 'Choose one of the payment methods offered.' });

    const { group, orders } = await this.write(request, plans, currency, gateway.id, priced);

    const confirmationPath = groupPath(this.ctx.config.sessionSecret, group.reference);
    const base = this.ctx.config.baseUrl.replace(/\/$/, '');
    let payment: PaymentStart;
    try {
      // Each order with its shop, lines, fee and payout account, and the attempt's idempotency key.
      const request = await paymentRequestFor(group, {
        description: `${orders.length === 1 ? 'Order' : `${orders.length} orders`} ${group.reference}`,
        returnUrl: `${base}${confirmationPath}`,
        cancelUrl: `${base}${confirmationPath}&cancelled=1`,
      });
      payment = await gateway.createPayment(request);
    } catch (error) {
      this.ctx.log.error({ err: error, group: group.reference, gateway: gateway.id }, 'payment could not be started');
      await this.abandon(group, orders, 'The payment could not be started.');
      throw new CheckoutProblem({ gateway: 'The payment could not be started. Nothing was charged; please try again or choose another method.' }, true);
    }
    await group.update({ payment_ref: payment.paymentRef });
    if (payment.kind === 'immediate' && payment.status === 'failed') {
      await this.abandon(group, orders, 'The payment was declined.');
      throw new CheckoutProblem({ gateway: 'The payment was declined. Nothing was charged; please try another method.' }, true);
    }

    for (const order of orders) await this.ctx.hooks.do('shops.order.created', order);
    await this.ctx.hooks.do('shops.checkout.completed', group, orders);
    if (payment.kind === 'immediate' && payment.status === 'paid') {
      for (const order of orders) await moveOrder(this.ctx, order, 'paid', { note: `Paid with ${gateway.title}` });
      await group.update({ status: 'paid' });
    }
    await this.ctx.jobs.enqueue(CHECKOUT_MAIL_JOB, { groupId: group.id, instructions: payment.kind === 'immediate' ? (payment.instructions ?? '') : '' });
    await this.ctx.jobs.enqueue(PENDING_EXPIRY_JOB, { groupId: group.id }, { delayMs: settings.pendingOrderHours * 3600_000 + 60_000 });
    return { group, orders, payment, confirmationPath };
  }

  /** Checks every line against the database and prices each shop's part; any problem stops the checkout. */
  private async plan(request: CheckoutRequest, settings: ShopsSettings): Promise<ShopPlan[]> {
    if (request.lines.length === 0) throw new CheckoutProblem({ form: 'Your cart is empty.' });
    const ids = request.lines.map((l) => l.productId);
    const variants = await cartVariants(request.lines.flatMap((l) => (l.variantId === undefined ? [] : [l.variantId])));
    const products = await Product.findAll({ where: { id: { [Op.in]: ids } } });
    const byId = new Map(products.map((p) => [p.id, p]));
    const shops = await Shop.findAll({ where: { id: { [Op.in]: [...new Set(products.map((p) => p.shop_id))] } } });
    const shopById = new Map(shops.map((s) => [s.id, s]));
    const problems: string[] = [];
    const plans = new Map<number, ShopPlan>();
    for (const { productId, quantity, variantId } of request.lines) {
      const product = byId.get(productId);
      const shop = product ? shopById.get(product.shop_id) : undefined;
      const found = variantId === undefined ? undefined : variants.get(variantId);
      const variant = found && product && found.variant.product_id === product.id ? { ...found.line, price: found.variant.priceOf(product.price) } : undefined;
      const problem =
        variantId === undefined ? problemWith(product, shop, quantity, settings.maxQuantityPerItem) : problemWithVariant(product, variant, shop, quantity, settings.maxQuantityPerItem);
      if (problem || !product || !shop) {
        problems.push(problem ?? 'A product in your cart is no longer for sale.');
        continue;
      }
      let plan = plans.get(shop.id);
      if (!plan) {
        plan = { shop, lines: [], subtotal: 0, shipping: undefined as unknown as ShippingOption, fee: 0 };
        plans.set(shop.id, plan);
      }
      const unit = variant?.price ?? product.price;
      plan.lines.push({ product, quantity, lineTotal: unit * quantity, variant: variant && { id: variant.id, label: variant.label, sku: variant.sku, price: variant.price } });
      plan.subtotal += unit * quantity;
    }
    if (problems.length) throw new CheckoutProblem({ form: problems.join(' ') });
    const currencies = new Set(products.map((p) => p.currency));
    if (currencies.size > 1) {
      throw new CheckoutProblem({ form: `Your cart holds prices in ${[...currencies].join(' and ')}; one payment is in one currency. Check out each currency separately.` });
    }

    const methods = await ShippingMethod.findAll({ where: { shop_id: { [Op.in]: [...plans.keys()] } }, order: [['position', 'ASC'], ['price', 'ASC'], ['id', 'ASC']] });
    const errors: FieldErrors = {};
    const country = request.address.country;
    for (const plan of plans.values()) {
      // Downloads ship nothing: a shop's part of only downloads needs no method, a mixed one pays delivery on its parcels.
      if (!shipsParcels(plan.lines)) {
        plan.shipping = DOWNLOAD_OPTION;
        plan.fee = await platformFee(this.ctx, { shopId: plan.shop.id, subtotal: plan.subtotal, currency: plan.lines[0].product.currency });
        continue;
      }
      const options = optionsFor(methods.filter((m) => m.shop_id === plan.shop.id && m.shipsTo(country)), parcelSubtotal(plan.lines));
      const hasAny = methods.some((m) => m.shop_id === plan.shop.id);
      if (hasAny && options[0].id === null) {
        errors[`shipping.${plan.shop.id}`] = `${plan.shop.name} does not ship to ${countryName(country)}. Remove its items or choose another address.`;
        continue;
      }
      const wanted = request.shipping.get(plan.shop.id);
      const chosen = wanted === undefined ? options[0] : options.find((o) => o.id === wanted);
      if (!chosen) {
        errors[`shipping.${plan.shop.id}`] = `That delivery method of ${plan.shop.name} does not ship to ${countryName(country)}; choose one that does.`;
        continue;
      }
      plan.shipping = chosen;
      plan.fee = await platformFee(this.ctx, { shopId: plan.shop.id, subtotal: plan.subtotal, currency: plan.lines[0].product.currency });
    }
    if (Object.keys(errors).length) throw new CheckoutProblem(errors);
    return [...plans.values()];
  }

  /**
   * Coupons and tax at the delivery country, from the database; a code that no longer applies stops the
   * checkout with its reason. The platform fee is taken of the subtotal less the shop's own discount.
   */
  private async price(request: CheckoutRequest, settings: ShopsSettings, plans: ShopPlan[], currency: string): Promise<PricedBaskets> {
    const priced = await priceBaskets({
      baskets: plans.map((p) => ({ shopId: p.shop.id, lines: p.lines.map((l) => ({ productId: l.product.id, amount: l.lineTotal, taxClass: l.product.tax_class })), shipping: p.shipping.cost })),
      country: request.address.country,
      codes: request.couponCodes ?? [],
      currency,
      buyerId: request.buyer?.id ?? null,
      email: request.email.toLowerCase(),
      settings,
    });
    if (priced.problems.length) {
      const message = `${priced.problems.map((p) => p.message).join(' ')} Remove the code in your cart to check out without it.`;
      throw new CheckoutProblem({ form: message, coupon: message });
    }
    for (const plan of plans) {
      plan.money = priced.money.get(plan.shop.id);
      if (plan.money?.discount) plan.fee = await platformFee(this.ctx, { shopId: plan.shop.id, subtotal: plan.subtotal - plan.money.discount, currency });
    }
    return priced;
  }

  private async write(request: CheckoutRequest, plans: ShopPlan[], currency: string, gatewayId: string, priced?: PricedBaskets): Promise<{ group: CheckoutGroup; orders: Order[] }> {
    const sequelize = this.ctx.sequelize;
    const email = request.email.toLowerCase();
    const claim = request.claim;
    try {
      return await sequelize.transaction(async (transaction) => {
        // The cart first: a second checkout of it stops here, before it takes any stock.
        if (claim && !(await claim.take(transaction))) throw new CartAlreadyCheckedOut(claim.key);
        const total = plans.reduce((s, p) => s + (p.money?.total ?? p.subtotal + p.shipping.cost), 0);
        const group = await CheckoutGroup.create(
          { reference: newReference(), buyer_id: request.buyer?.id ?? null, email, currency, total, gateway: gatewayId, status: 'pending', cart_claim: claim?.key ?? null },
          { transaction },
        );
        const placed = await this.writeOrders(request, plans, currency, group, transaction);
        if (priced?.coupons.length) {
          await redeemCoupons(priced.coupons, priced.discounts, { groupId: group.id, buyerId: request.buyer?.id ?? null, email, orders: placed.orders }, transaction);
        }
        return placed;
      });
    } catch (error) {
      if (error instanceof CouponUsedUp) throw new CheckoutProblem({ form: error.message, coupon: error.message });
      // The unique cart_claim refused a second group for the same guest cart.
      if (claim && error instanceof UniqueConstraintError && (await CheckoutGroup.count({ where: { cart_claim: claim.key } }))) throw new CartAlreadyCheckedOut(claim.key);
      throw error;
    }
  }

  private async writeOrders(request: CheckoutRequest, plans: ShopPlan[], currency: string, group: CheckoutGroup, transaction: Transaction): Promise<{ group: CheckoutGroup; orders: Order[] }> {
    const sequelize = this.ctx.sequelize;
    const email = request.email.toLowerCase();
    // Lowest product id first in every checkout, so two transactions never wait on each other in a circle.
    const taking = plans.flatMap((p) => p.lines).sort((a, b) => a.product.id - b.product.id || (a.variant?.id ?? 0) - (b.variant?.id ?? 0));
    for (const { product, quantity, variant } of taking) {
      if (variant) {
        // The variant's stock, taken the same way (services/variant-stock.ts).
        if (await takeVariantStock(sequelize, product.id, variant.id, quantity, transaction)) continue;
        const left = await variantStockLeft(variant.id, transaction);
        const name = `“${product.title}” (${variant.label})`;
        throw new CheckoutProblem({
          form: left === 0 ? `Sorry, ${name} just sold out. Remove it from your cart to check out the rest.` : `Sorry, only ${left} of ${name} left now. Lower the quantity in your cart.`,
        });
      }
      // `quantity` is a validated whole number, so the literal is safe; the model's typing has no place for an expression.
      const [count] = await Product.update(
        { stock: sequelize.literal(`stock - ${Math.trunc(quantity)}`) as unknown as number },
        { where: { id: product.id, [Op.or]: [{ stock: null }, { stock: { [Op.gte]: quantity } }] }, transaction, validate: false, hooks: false },
      );
      if (count !== 1) {
        const now = await Product.findByPk(product.id, { attributes: ['stock'], transaction });
        const left = now?.stock ?? 0;
        throw new CheckoutProblem({
          form: left === 0 ? `Sorry, “${product.title}” just sold out. Remove it from your cart to check out the rest.` : `Sorry, only ${left} of “${product.title}” left now. Lower the quantity in your cart.`,
        });
      }
    }

    const orders: Order[] = [];
    let n = 0;
    for (const plan of [...plans].sort((a, b) => a.shop.id - b.shop.id)) {
      const a = request.address;
      const order = await Order.create(
        {
          number: orderNumber(group.reference, ++n),
          group_id: group.id,
          shop_id: plan.shop.id,
          buyer_id: request.buyer?.id ?? null,
          status: 'pending',
          currency,
          subtotal: plan.subtotal,
          shipping_total: plan.shipping.cost,
          total: plan.money?.total ?? plan.subtotal + plan.shipping.cost,
          platform_fee: plan.fee,
          discount_total: plan.money?.discount ?? 0,
          platform_discount: plan.money?.platformDiscount ?? 0,
          tax_total: plan.money?.taxTotal ?? 0,
          prices_include_tax: plan.money?.pricesIncludeTax ?? true,
          shipping_tax: plan.money?.shippingTax ?? 0,
          shipping_tax_rate: plan.money?.shippingRate ?? 0,
          coupon_codes: (request.couponCodes ?? []).join(',').slice(0, 100),
          shipping_method: plan.shipping.name.slice(0, 100),
          email,
          ship_name: a.name,
          ship_line1: a.line1,
          ship_line2: a.line2,
          ship_city: a.city,
          ship_postcode: a.postcode,
          ship_country: a.country,
          phone: request.phone,
        },
        { transaction },
      );
      await OrderItem.bulkCreate(
        plan.lines.map((l, i) => {
          const priced = plan.money?.lines[i];
          const tax = priced ? { discount: priced.discount + priced.platformDiscount, tax_class: l.product.tax_class, tax_rate: priced.rate, tax_amount: priced.tax } : {};
          // A variant's line keeps its SKU and attribute values as they were.
          const variant = l.variant ? { variant_id: l.variant.id, sku: l.variant.sku, options_text: l.variant.label.slice(0, 400) } : {};
          return { order_id: order.id, product_id: l.product.id, title: l.product.title, unit_price: l.variant?.price ?? l.product.price, quantity: l.quantity, line_total: l.lineTotal, ...tax, ...variant };
        }),
        { transaction },
      );
      await OrderStatusHistory.create({ order_id: order.id, from_status: null, to_status: 'pending', note: 'Order placed', actor_id: request.buyer?.id ?? null }, { transaction });
      orders.push(order);
    }
    if (request.buyer && request.saveAddress) await this.saveAddress(request.buyer.id, request.address, request.phone, transaction);
    await request.inTransaction?.(transaction, { group, orders });
    return { group, orders };
  }

  /** Keeps the address for next time, once: the same address saved again only moves to the top. */
  private async saveAddress(userId: number, a: CheckoutAddress, phone: string, transaction: Transaction): Promise<void> {
    // Street, town and postcode are encrypted at rest: compared here, after decryption, not in SQL.
    const candidates = await Address.findAll({ where: { user_id: userId, name: a.name, country: a.country }, transaction });
    const same = candidates.find((c) => c.line1 === a.line1 && c.line2 === a.line2 && c.city === a.city && c.postcode === a.postcode);
    if (same) {
      same.changed('updated_at', true);
      await same.update({ phone, updated_at: new Date() }, { transaction });
      return;
    }
    await Address.create({ user_id: userId, ...a, phone }, { transaction });
  }

  /** A checkout whose payment never started: its orders are cancelled (the stock goes back). */
  private async abandon(group: CheckoutGroup, orders: Order[], note: string): Promise<void> {
    await this.ctx.sequelize.transaction(async (transaction) => {
      for (const order of orders) if (order.status === 'pending') await moveOrder(this.ctx, order, 'cancelled', { note, transaction });
      // The cart is given back, so its claim is too: the buyer may try again from the same page.
      await group.update({ status: 'failed', cart_claim: null }, { transaction });
    });
  }
}


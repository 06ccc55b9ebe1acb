import type { Transaction } from 'sequelize';
import type { Coupon } from '../models/coupon';
import type { ShopsSettings } from '../settings';
import { couponProblem, couponsFor, discountsFor, type Discounts } from './coupon-service';
import { priceOrder, type OrderMoney } from './order-pricing';
import { rateOf, ratesFor } from './tax-service';

/** One shop's part of a cart or checkout, as entered by its seller. */
export interface ShopBasket {
  shopId: number;
  lines: Array<{ productId: number; amount: number; taxClass: string }>;
  shipping: number;
}

export interface PricedBaskets {
  /** The coupons that apply, in the order they were spread. */
  coupons: Coupon[];
  /** Why a code given does not apply (unknown, expired, used up...): one message per code. */
  problems: Array<{ code: string; message: string }>;
  discounts: Discounts;
  /** shopId → the order's money. */
  money: Map<number, OrderMoney>;
  country: string;
}

/**
 * Prices every shop's part with the coupons and the tax of `country`: the cart's estimate (the store's
 * country) and the checkout's amounts (the delivery country) come from this one function.
 */
export async function priceBaskets(input: {
  baskets: ShopBasket[];
  country: string;
  codes: string[];
  currency: string;
  buyerId: number | null;
  email: string | null;
  settings: Pick<ShopsSettings, 'pricesIncludeTax' | 'shippingTaxClass'>;
  now?: Date;
  transaction?: Transaction;
}): Promise<PricedBaskets> {
  const parts = input.baskets.map((b) => ({ shopId: b.shopId, lines: b.lines.map((l) => ({ productId: l.productId, amount: l.amount })) }));
  const found = await couponsFor(input.codes, input.transaction);
  const problems: PricedBaskets['problems'] = [];
  for (const code of input.codes) if (!found.some((c) => c.code === code)) problems.push({ code, message: `There is no coupon ${code}.` });
  const coupons: Coupon[] = [];
  const check = { now: input.now ?? new Date(), currency: input.currency, parts, buyerId: input.buyerId, email: input.email, transaction: input.transaction };
  for (const coupon of found) {
    const problem = await couponProblem(coupon, check);
    if (problem) problems.push({ code: coupon.code, message: problem });
    else coupons.push(coupon);
  }
  const discounts = discountsFor(coupons, parts);
  const rates = await ratesFor(input.country, input.transaction);
  const shippingRate = rateOf(rates, input.settings.shippingTaxClass);
  const money = new Map<number, OrderMoney>();
  for (const basket of input.baskets) {
    const taken = discounts.perLine.get(basket.shopId) ?? [];
    money.set(
      basket.shopId,
      priceOrder({
        lines: basket.lines.map((l, i) => {
          const rate = rateOf(rates, l.taxClass);
          return { amount: l.amount, rate: rate.rate, label: rate.label, discount: taken[i]?.seller ?? 0, platformDiscount: taken[i]?.platform ?? 0 };
        }),
        shipping: basket.shipping,
        shippingRate: shippingRate.rate,
        shippingLabel: shippingRate.label,
        pricesIncludeTax: input.settings.pricesIncludeTax,
      }),
    );
  }
  return { coupons, problems, discounts, money, country: input.country };
}

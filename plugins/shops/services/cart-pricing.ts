import type { Request } from 'express';
import type { Coupon } from '../models/coupon';
import type { ShopsSettings } from '../settings';
import type { CartView } from './cart-service';
import { priceBaskets, type PricedBaskets } from './checkout-pricing';
import { sessionCodes } from './coupon-service';
import type { OrderMoney, TaxLine } from './order-pricing';

export interface CurrencyPricing {
  currency: string;
  subtotal: number;
  discount: number;
  shipping: number;
  taxTotal: number;
  taxLines: TaxLine[];
  total: number;
  pricesIncludeTax: boolean;
}

export interface CartPricing {
  /** shopId → the shop's estimate. */
  shops: Map<number, OrderMoney>;
  currencies: Map<string, CurrencyPricing>;
  coupons: Coupon[];
  problems: PricedBaskets['problems'];
  country: string;
  codes: string[];
}

function sumTaxLines(all: TaxLine[]): TaxLine[] {
  const byKey = new Map<string, TaxLine>();
  for (const l of all) {
    const key = `${l.label}|${l.rate}`;
    const t = byKey.get(key) ?? { label: l.label, rate: l.rate, base: 0, tax: 0 };
    t.base += l.base;
    t.tax += l.tax;
    byKey.set(key, t);
  }
  return [...byKey.values()].sort((a, b) => b.rate - a.rate);
}

/**
 * The cart's estimate: the coupons applied in the session and the tax of `country` (the store's, before the
 * buyer's address is known), by the checkout's own pricing, one basket per currency.
 */
export async function cartPricing(req: Request, view: CartView, settings: ShopsSettings, country = settings.baseCountry): Promise<CartPricing> {
  const codes = sessionCodes(req.session.couponCodes);
  const out: CartPricing = { shops: new Map(), currencies: new Map(), coupons: [], problems: [], country, codes };
  for (const currency of view.currencies) {
    const groups = view.groups.filter((g) => g.currency === currency && g.lines.some((l) => !l.unavailable));
    if (groups.length === 0) continue;
    const baskets = groups.map((g) => ({
      shopId: g.shop.id,
      lines: g.lines.filter((l) => !l.unavailable).map((l) => ({ productId: l.product.id, amount: l.lineTotal, taxClass: l.product.tax_class })),
      shipping: g.chosen.cost,
    }));
    const priced = await priceBaskets({ baskets, country, codes, currency, buyerId: req.user?.id ?? null, email: req.user?.email ?? null, settings });
    for (const [shopId, money] of priced.money) out.shops.set(shopId, money);
    for (const c of priced.coupons) if (!out.coupons.some((o) => o.id === c.id)) out.coupons.push(c);
    for (const p of priced.problems) if (!out.problems.some((o) => o.code === p.code)) out.problems.push(p);
    const monies = [...priced.money.values()];
    out.currencies.set(currency, {
      currency,
      subtotal: monies.reduce((s, m) => s + m.subtotal, 0),
      discount: monies.reduce((s, m) => s + m.discount + m.platformDiscount, 0),
      shipping: monies.reduce((s, m) => s + m.shipping, 0),
      taxTotal: monies.reduce((s, m) => s + m.taxTotal, 0),
      taxLines: sumTaxLines(monies.flatMap((m) => m.taxLines)),
      total: monies.reduce((s, m) => s + m.total, 0),
      pricesIncludeTax: settings.pricesIncludeTax,
    });
  }
  // A code valid in one currency's basket is not a problem because another basket cannot use it.
  out.problems = out.problems.filter((p) => !out.coupons.some((c) => c.code === p.code));
  return out;
}

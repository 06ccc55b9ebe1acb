/**
 * The money of one order, in integer minor units, by one rule (docs/shops-tax.md):
 *
 * - Coupon discounts are spread over the lines they apply to in proportion to the lines' amounts, by the
 *   largest remainder, so the lines' parts add up to the discount exactly.
 * - Tax is computed per line (and once for the shipping) on the amount after its discount, rounded half up
 *   to the minor unit. Prices entered including tax: tax = amount × rate / (1 + rate), inside the amount.
 *   Prices entered excluding tax: tax = amount × rate, added to it.
 * - total = subtotal − discounts + shipping (+ tax when prices exclude it), and the tax lines per rate add up
 *   to the tax total: nothing is rounded twice.
 */

/** Rates are percent × 100 (2000 = 20%); one basis of 10 000 is 100%. */
export const RATE_SCALE = 10_000;

export interface PricedLineInput {
  /** unit price × quantity, as entered by the seller. */
  amount: number;
  rate: number;
  /** The rate's name on the documents ("VAT"). */
  label?: string;
  /** What the seller's coupon takes off this line. */
  discount?: number;
  /** What a platform coupon takes off this line. */
  platformDiscount?: number;
}

export interface PricedLine {
  amount: number;
  discount: number;
  platformDiscount: number;
  rate: number;
  /** What the line is taxed on, tax excluded. */
  net: number;
  tax: number;
  /** What the buyer pays for the line, tax included. */
  gross: number;
}

export interface TaxLine {
  label: string;
  rate: number;
  /** Taxable amount, tax excluded. */
  base: number;
  tax: number;
}

export interface OrderMoney {
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  platformDiscount: number;
  shipping: number;
  shippingRate: number;
  shippingTax: number;
  taxTotal: number;
  taxLines: TaxLine[];
  total: number;
  pricesIncludeTax: boolean;
}

/** a × b / c rounded half up, for non-negative integers (exact while a × b stays below 2^53). */
export function mulDivHalfUp(a: number, b: number, c: number): number {
  return Math.floor((2 * a * b + c) / (2 * c));
}

/** The tax in (inclusive) or on (exclusive) an amount, per the one rule above. */
export function taxOf(amount: number, rate: number, inclusive: boolean): number {
  if (amount <= 0 || rate <= 0) return 0;
  return inclusive ? mulDivHalfUp(amount, rate, RATE_SCALE + rate) : mulDivHalfUp(amount, rate, RATE_SCALE);
}

/**
 * Splits `total` over `weights` in proportion, by the largest remainder (ties to the earlier line), so the
 * parts are whole and add up to `total` exactly; no part exceeds its weight when total ≤ Σ weights.
 */
export function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (total <= 0 || sum <= 0) return weights.map(() => 0);
  const capped = Math.min(total, sum);
  const parts = weights.map((w) => Math.floor((capped * w) / sum));
  let left = capped - parts.reduce((s, p) => s + p, 0);
  const order = weights.map((w, i) => ({ i, rest: (capped * w) % sum })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    if (parts[i] < weights[i]) {
      parts[i]++;
      left--;
    }
  }
  return parts;
}

export function priceOrder(input: { lines: PricedLineInput[]; shipping: number; shippingRate: number; shippingLabel?: string; pricesIncludeTax: boolean }): OrderMoney {
  const inclusive = input.pricesIncludeTax;
  const taxLines = new Map<string, TaxLine>();
  const addTax = (label: string, rate: number, base: number, tax: number) => {
    if (rate <= 0) return;
    const key = `${label}|${rate}`;
    const line = taxLines.get(key) ?? { label, rate, base: 0, tax: 0 };
    line.base += base;
    line.tax += tax;
    taxLines.set(key, line);
  };
  const lines = input.lines.map((l): PricedLine => {
    const discount = Math.min(l.discount ?? 0, l.amount);
    const platformDiscount = Math.min(l.platformDiscount ?? 0, l.amount - discount);
    const taxed = l.amount - discount - platformDiscount;
    const tax = taxOf(taxed, l.rate, inclusive);
    const net = inclusive ? taxed - tax : taxed;
    addTax(l.label ?? 'VAT', l.rate, net, tax);
    return { amount: l.amount, discount, platformDiscount, rate: l.rate, net, tax, gross: net + tax };
  });
  const shippingTax = taxOf(input.shipping, input.shippingRate, inclusive);
  addTax(input.shippingLabel ?? 'VAT', input.shippingRate, inclusive ? input.shipping - shippingTax : input.shipping, shippingTax);
  const subtotal = lines.reduce((s, l) => s + l.amount, 0);
  const discount = lines.reduce((s, l) => s + l.discount, 0);
  const platformDiscount = lines.reduce((s, l) => s + l.platformDiscount, 0);
  const taxTotal = lines.reduce((s, l) => s + l.tax, 0) + shippingTax;
  const total = subtotal - discount - platformDiscount + input.shipping + (inclusive ? 0 : taxTotal);
  return {
    lines,
    subtotal,
    discount,
    platformDiscount,
    shipping: input.shipping,
    shippingRate: input.shippingRate,
    shippingTax,
    taxTotal,
    taxLines: [...taxLines.values()].sort((a, b) => b.rate - a.rate),
    total,
    pricesIncludeTax: inclusive,
  };
}

/** "20%", "5.5%". */
export function rateText(rate: number): string {
  return `${(rate / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
}

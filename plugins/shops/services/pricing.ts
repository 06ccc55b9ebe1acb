import type { PluginContext } from '@agora/core';
import type { ShopsSettings } from '../settings';

/**
 * `percent` of `amount` in minor units, rounded half up, in integer arithmetic: a fee of 5% on 1050 is
 * 53, never 52 because 52.5 came out as 52.49999 in floating point. Percents keep four decimals.
 */
export function percentOf(amount: number, percent: number): number {
  const partsPerMillion = BigInt(Math.round(percent * 10_000));
  return Number((BigInt(amount) * partsPerMillion + 500_000n) / 1_000_000n);
}

/** The platform fee of one order: feePercent of its subtotal plus feeFixed, then whatever plugins make of it. */
export async function platformFee(
  ctx: Pick<PluginContext, 'hooks' | 'settings'>,
  order: { shopId: number; subtotal: number; currency: string },
): Promise<number> {
  const settings = ctx.settings.get<ShopsSettings>();
  const computed = percentOf(order.subtotal, settings.feePercent) + settings.feeFixed;
  const filtered = await ctx.hooks.apply('shops.order.platform_fee', computed, order);
  // A filter that returns nonsense must not put a fraction or a negative amount on an invoice.
  return Number.isSafeInteger(filtered) && filtered >= 0 ? filtered : computed;
}

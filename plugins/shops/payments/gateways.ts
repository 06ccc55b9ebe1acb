import type { PluginContext } from '@agora/core';
import type { PaymentGateway } from './gateway';

type Hooks = { hooks: Pick<PluginContext['hooks'], 'apply'> };

/** Every gateway registered through `shops.payment.gateways`, enabled or not (refunds of old orders need them). */
export async function allGateways(ctx: Hooks): Promise<PaymentGateway[]> {
  const list = await ctx.hooks.apply('shops.payment.gateways', []);
  const seen = new Set<string>();
  // The first registration of an id wins, so a plugin cannot shadow another's gateway by reusing its id.
  return list.filter((g) => g && typeof g.id === 'string' && !seen.has(g.id) && seen.add(g.id));
}

/** The gateways a buyer may choose for a payment in this currency. */
export async function availableGateways(ctx: Hooks, currency: string): Promise<PaymentGateway[]> {
  return (await allGateways(ctx)).filter((g) => {
    try {
      return g.isAvailable(currency);
    } catch {
      return false;
    }
  });
}

export async function findGateway(ctx: Hooks, id: string): Promise<PaymentGateway | undefined> {
  return (await allGateways(ctx)).find((g) => g.id === id);
}

import type { PluginContext, SlotFragment } from '@agora/core';
import type { ProductCardsContext } from '../hooks';

/** Each card's fragments, by product id: the `cardActions` local that `shops/partials/product-card` reads. */
export type CardActions = Record<number, SlotFragment[]>;

/**
 * Gathers the product cards' slot for a whole page before rendering (async, one filter call per page);
 * the card partial then renders each card's fragments synchronously. Nobody listening costs nothing.
 */
export async function cardActionsFor(hooks: Pick<PluginContext['hooks'], 'apply' | 'has'>, context: ProductCardsContext): Promise<CardActions> {
  const out: CardActions = {};
  if (!context.cards.length || !hooks.has('view.shops.product.card.actions')) return out;
  const ids = new Set(context.cards.map((c) => c.id));
  for (const fragment of await hooks.apply('view.shops.product.card.actions', [], context)) {
    if (!ids.has(fragment.productId)) continue;
    const { productId, ...rest } = fragment;
    (out[productId] ??= []).push(rest);
  }
  return out;
}

import type { Request } from 'express';
import { notFound, parseForm, requireUser, type PluginContext } from '@agora/core';
import { followSchema } from '../forms/follow-forms';
import { follow, unfollow } from '../services/follow-service';

/** The shop named by the address, through shops' service; an unknown id is a 404. */
async function shopOf(ctx: PluginContext, req: Request) {
  const id = Number(req.params.shopId);
  const shop = Number.isInteger(id) && id > 0 ? await ctx.service('shops').shopCard(id) : undefined;
  if (!shop) throw notFound('shop');
  return shop;
}

/** The Follow / Unfollow buttons: plain forms with a CSRF token, so they work without JavaScript. */
export function followRoutes(ctx: PluginContext): void {
  for (const action of ['follow', 'unfollow'] as const) {
    ctx.router.post(`/follows/shops/:shopId/${action}`, requireUser, async (req, res) => {
      const shop = await shopOf(ctx, req);
      const parsed = parseForm(followSchema, req.body);
      const userId = req.user!.id;
      if (action === 'follow') {
        const { created } = await follow(ctx, userId, shop.id);
        res.flash('success', created ? `You follow ${shop.name}: you will hear of its new products and discounts.` : `You already follow ${shop.name}.`);
      } else {
        const { removed } = await unfollow(ctx, userId, shop.id);
        res.flash('success', removed ? `You no longer follow ${shop.name}.` : `You were not following ${shop.name}.`);
      }
      // A `back` that is not a page of this site (tampered with) is ignored: the shop's page instead.
      res.redirect(303, (parsed.ok && parsed.data.back) || shop.url);
    });
  }
}

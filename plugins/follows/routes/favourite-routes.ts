import type { Request } from 'express';
import { notFound, pageFrom, pager, parseForm, requireUser, type PluginContext } from '@agora/core';
import { followSchema } from '../forms/follow-forms';
import { Favourite } from '../models/favourite';
import { favourite, unfavourite } from '../services/favourite-service';
import type { FollowsSettings } from '../settings';

/** A live product, through shops' service: a draft or an unknown id is a 404, as its page is. */
async function productOf(ctx: PluginContext, req: Request) {
  const id = Number(req.params.productId);
  const product = Number.isInteger(id) && id > 0 ? await ctx.service('shops').productCard(id) : undefined;
  if (!product || !product.published) throw notFound('product');
  return product;
}

/** The heart on the product page (a form, no JavaScript needed) and "My favourites". */
export function favouriteRoutes(ctx: PluginContext, settings: () => FollowsSettings): void {
  for (const action of ['favourite', 'unfavourite'] as const) {
    ctx.router.post(`/follows/products/:productId/${action}`, requireUser, async (req, res) => {
      const product = await productOf(ctx, req);
      const parsed = parseForm(followSchema, req.body);
      if (action === 'favourite') {
        await favourite(ctx, req.user!.id, { id: product.id, shopId: product.shop.id });
        res.flash('success', `${product.title} is in your favourites: you will hear when its price goes down or it is back in stock.`);
      } else {
        await unfavourite(req.user!.id, product.id);
        res.flash('success', `${product.title} is no longer in your favourites.`);
      }
      res.redirect(303, (parsed.ok && parsed.data.back) || product.url);
    });
  }

  ctx.router.get('/account/favourites', requireUser, async (req, res) => {
    const page = pageFrom(req.query, settings().notificationsPerPage);
    const { rows, count } = await Favourite.findAndCountAll({ where: { user_id: req.user!.id }, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: page.perPage, offset: page.offset });
    const products = [];
    for (const row of rows) {
      const card = await ctx.service('shops').productCard(row.product_id);
      if (card) products.push({ card, since: row.created_at });
    }
    await res.renderPage('follows/account/favourites', {
      title: 'My favourites',
      products,
      pager: pager('/account/favourites', req.query as Record<string, unknown>, { page: page.page, perPage: page.perPage, total: count, noun: 'favourites' }),
    });
  });
}

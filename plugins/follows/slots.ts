import type { PluginContext } from '@agora/core';
import type {} from '../shops/hooks';
import { followerCount, followerCounts, isFollowing } from './services/follow-service';
import { unreadCount } from './services/account-views';
import { favouriteCounts, favouritedAmong, isFavourite } from './services/favourite-service';

const WEEK_MS = 7 * 24 * 3600_000;

/** The follow pieces on other pages: buttons and counts on shops' pages, the unread count in the header. */
export function fillSlots(ctx: PluginContext): void {
  ctx.slot('core.head', () => ({ html: '<link rel="stylesheet" href="/plugins/follows/follows.css">' }));

  ctx.slot('core.header.actions', async ({ viewer, locals }) => {
    if (!viewer) return undefined;
    const n = await unreadCount(viewer.id);
    const current = locals.currentPath === '/account/notifications' ? ' aria-current="page"' : '';
    const badge = n > 0 ? ` <span class="follows-bell-count">${n > 99 ? '99+' : n}</span><span class="sr-only"> unread</span>` : '';
    return { html: `<a class="follows-bell" href="/account/notifications"${current}>Notifications${badge}</a>` };
  });

  const button = async (viewer: Express.User | undefined, shop: { id: number; name: string }, back: string, showCount: boolean) => ({
    template: 'follows/partials/follow-button',
    data: {
      follows: {
        signedIn: Boolean(viewer),
        following: viewer ? await isFollowing(viewer.id, shop.id) : false,
        shopId: shop.id,
        shopName: shop.name,
        back,
        showCount,
        count: showCount ? await followerCount(shop.id) : 0,
      },
    },
  });

  ctx.slot('shops.shop.header_actions', ({ viewer, shop }) => button(viewer, shop, `/shops/${shop.slug}`, true));
  ctx.slot('shops.product.shop_card', ({ viewer, shop, product }) => button(viewer, shop, `/products/${product.slug}`, false));

  ctx.slot('shops.product.after_price', async ({ viewer, product }) => ({
    template: 'follows/partials/favourite-button',
    data: { favourite: { signedIn: Boolean(viewer), on: viewer ? await isFavourite(viewer.id, product.id) : false, productId: product.id, back: `/products/${product.slug}` } },
  }));

  // The heart on every product card of a list (catalog, shop page, home): one query for the page's cards.
  ctx.hooks.filter('view.shops.product.card.actions', async (fragments, { cards, viewer, back }) => {
    const on = viewer ? await favouritedAmong(viewer.id, cards.map((c) => c.id)) : new Set<number>();
    return [
      ...fragments,
      ...cards.map((c) => ({
        productId: c.id,
        template: 'follows/partials/favourite-button',
        data: { favourite: { signedIn: Boolean(viewer), on: on.has(c.id), productId: c.id, back, compact: true, title: c.title } },
      })),
    ];
  });

  // The seller sees how many follow the shop and how many favourited each product, never who.
  ctx.slot('shops.seller.dashboard', async ({ shop }) => {
    const [counts, followers] = await Promise.all([favouriteCounts(shop.id), followerCounts(shop.id, new Date(Date.now() - WEEK_MS))]);
    // The cards of the most favourited products in one query, not one per product.
    const cards = await ctx.service('shops').productCards(counts.map((c) => c.productId));
    const favourites = counts.flatMap(({ productId, count }) => {
      const card = cards.get(productId);
      return card ? [{ title: card.title, url: card.url, count }] : [];
    });
    return { template: 'follows/partials/seller-followers', data: { followers: { ...followers, favourites } } };
  });

  ctx.slot('core.account.sections', () => ({
    html:
      '<section class="panel account-follows"><h2>Shops I follow</h2><p><a href="/account/following">Shops I follow</a>: the shops whose new products and discounts you hear of.</p>' +
      '<p><a href="/account/favourites">My favourites</a> · <a href="/account/notifications">Notifications</a> · <a href="/account/notifications/settings">Which shops may email you</a></p></section>',
  }));
}

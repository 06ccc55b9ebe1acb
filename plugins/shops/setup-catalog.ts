import type { PluginContext } from '@agora/core';
import { Shop } from './models/shop';
import { registerShopCapabilities } from './capabilities';
import { registerShopPrivacy } from './privacy-shops';
import { catalogRoutes } from './routes/catalog-routes';
import { sellerRoutes } from './routes/seller-routes';
import { setupProductBulk } from './routes/product-bulk-setup';
import { scheduleKeptUploadSweep } from './routes/kept-uploads';
import { announcementRoutes } from './routes/announcement-routes';
import { productsFromSeveralShops, topCategories } from './services/home-showcase';
import { seedDemoCatalog } from './demo/demo-seed';
import { cardActionsFor } from './services/card-actions';
import { variantRoutes } from './routes/variant-routes';
import { VariantService } from './services/variant-service';

const HOME_PRODUCTS = 8;
const HOME_SHOPS = 4;

/** Part A of the shops plugin: shops, sellers, products, the catalog and its pages, the demo seed. */
export function setupCatalog(ctx: PluginContext): void {
  registerShopCapabilities(ctx);
  registerShopPrivacy(ctx);
  catalogRoutes(ctx);
  // Bulk edit and CSV import of products (issue 17), before the product routes' /seller/products/:id.
  setupProductBulk(ctx);
  sellerRoutes(ctx);
  scheduleKeptUploadSweep(ctx);
  announcementRoutes(ctx);
  // Attributes and variants (issue 17): the seller's pages; the product page, cart and checkout read them.
  variantRoutes(ctx, new VariantService(ctx.hooks));
  ctx.assets.script({ src: '/plugins/shops/variant-picker.js', consent: 'necessary', templates: 'shops/product' });

  ctx.hooks.filter('core.nav.items', (items, { user }) => [
    ...items,
    { label: 'Products', href: '/products', order: 10 },
    { label: 'Shops', href: '/shops', order: 20 },
    ...(user ? [{ label: user.role === 'seller' ? 'Your shop' : 'Sell', href: user.role === 'seller' ? '/seller' : '/seller/open', order: 40 }] : []),
  ]);

  ctx.slot('core.home.content', async ({ viewer }) => {
    const [products, shops, categories] = await Promise.all([
      productsFromSeveralShops(HOME_PRODUCTS),
      Shop.findAll({ where: { vacation_mode: false }, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: HOME_SHOPS }),
      topCategories(),
    ]);
    const cardActions = await cardActionsFor(ctx.hooks, { cards: products, viewer, back: '/' });
    return { template: 'shops/home-content', data: { homeProducts: products, homeShops: shops, homeCategories: categories, cardActions } };
  });
  // The store's categories under the header, on every page.
  ctx.slot('core.header.nav', async ({ query }) => {
    const categories = await topCategories();
    if (!categories.length) return undefined;
    return { template: 'shops/partials/category-nav', data: { navCategories: categories, activeCategory: typeof query.category === 'string' ? query.category : '' } };
  });

  ctx.hooks.on('core.demo.seeded', () => seedDemoCatalog(ctx), { priority: 10, budgetMs: 5 * 60_000 });
}

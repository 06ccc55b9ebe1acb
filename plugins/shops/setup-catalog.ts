import type { PluginContext } from '../../core/plugins/context';
import { Shop } from './models/shop';
import { registerShopCapabilities } from './capabilities';
import { registerShopPrivacy } from './privacy-shops';
import { catalogRoutes } from './routes/catalog-routes';
import { sellerRoutes } from './routes/seller-routes';
import { announcementRoutes } from './routes/announcement-routes';
import { newestProducts } from './services/catalog-service';
import { seedDemoCatalog } from './demo/demo-seed';

const HOME_PRODUCTS = 8;
const HOME_SHOPS = 4;

/** Part A of the shops plugin: shops, sellers, products, the catalog and its pages, the demo seed. */
export function setupCatalog(ctx: PluginContext): void {
  registerShopCapabilities(ctx);
  registerShopPrivacy(ctx);
  catalogRoutes(ctx);
  sellerRoutes(ctx);
  announcementRoutes(ctx);

  ctx.hooks.filter('core.nav.items', (items, { user }) => [
    ...items,
    { label: 'Products', href: '/products', order: 10 },
    { label: 'Shops', href: '/shops', order: 20 },
    ...(user ? [{ label: user.role === 'seller' ? 'Your shop' : 'Sell', href: user.role === 'seller' ? '/seller' : '/seller/open', order: 40 }] : []),
  ]);

  ctx.slot('core.home.content', async () => {
    const [products, shops] = await Promise.all([
      newestProducts(HOME_PRODUCTS),
      Shop.findAll({ where: { vacation_mode: false }, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: HOME_SHOPS }),
    ]);
    return { template: 'shops/home-content', data: { homeProducts: products, homeShops: shops } };
  });

  ctx.hooks.on('core.demo.seeded', () => seedDemoCatalog(ctx), { priority: 10 });
}

import { definePlugin } from '../../core/plugins/define-plugin';
import './hooks';
import { initShopModels } from './models';
import { defineShopsSettings } from './settings';
import { setupCatalog } from './setup-catalog';
import { setupOrders } from './setup-orders';
import { createShopsService } from './service';

export default definePlugin({
  async setup(ctx) {
    initShopModels(ctx.sequelize);
    defineShopsSettings(ctx);
    // Each part registers its routes, hooks, slots, capabilities and privacy pieces through ctx.
    // -- catalog, shop pages, sellers, products (part A) --
    setupCatalog(ctx);
    // -- cart, checkout, payments, orders (part B) --
    setupOrders(ctx);
    // What reviews, follows and messaging ask of shops instead of reading its models (ServiceMap['shops']).
    ctx.provide<'shops'>(createShopsService());
  },
});

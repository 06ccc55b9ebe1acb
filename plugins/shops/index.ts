import { definePlugin } from '@agora/core';
import './hooks';
import { initShopModels } from './models';
import { defineShopsSettings } from './settings';
import { setupCatalog } from './setup-catalog';
import { setupOrders } from './setup-orders';
import { createShopsService } from './service';
import { shopsFiles } from './services/images';

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
  // Product pictures and shop images are kept outside shops' own uploads folder (see services/images.ts):
  // core erases uploads/shops/ and shops' private files; this erases the rest.
  async uninstall(ctx) {
    await shopsFiles(ctx.config.uploadsDir).removeAll();
  },
});

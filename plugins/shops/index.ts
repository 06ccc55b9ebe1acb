import { definePlugin } from '@agora/core';
import './hooks';
import { initShopModels } from './models';
import { defineShopsSettings } from './settings';
import { setupCatalog } from './setup-catalog';
import { setupOrders } from './setup-orders';
import { setupDownloads } from './setup-downloads';
import { createShopsService } from './service';
import { bindShopsFiles } from './services/images';

export default definePlugin({
  async setup(ctx) {
    initShopModels(ctx.sequelize);
    // Product pictures and shop images: core's public files in shops' own areas of the uploads.
    bindShopsFiles(ctx);
    defineShopsSettings(ctx);
    // Each part registers its routes, hooks, slots, capabilities and privacy pieces through ctx.
    // -- catalog, shop pages, sellers, products (part A) --
    setupCatalog(ctx);
    // -- cart, checkout, payments, orders (part B) --
    setupOrders(ctx);
    // -- digital goods: private files delivered by signed links after payment (issue 17) --
    setupDownloads(ctx);
    // What reviews, follows and messaging ask of shops instead of reading its models (ServiceMap['shops']).
    ctx.provide<'shops'>(createShopsService());
  },
  // Product pictures and shop images are kept in shops' areas of the uploads (see services/images.ts):
  // core erases shops' own folder and private files; this erases the areas.
  async uninstall(ctx) {
    await bindShopsFiles(ctx).removeAll();
  },
});

import { definePlugin } from '@agora/core';
import './hooks';
import { initReviewModels } from './models';
import { defineReviewsSettings } from './settings';
import { MODERATE, adminRoutes } from './routes/admin-routes';
import { writeRoutes } from './routes/write-routes';
import { interactionRoutes } from './routes/interaction-routes';
import { photoRoutes } from './routes/photo-routes';
import { accountRoutes } from './routes/account-routes';
import { reviewSlots } from './slots';
import { reviewsPrivacy } from './privacy';
import { seedDemoReviews } from './demo';

export default definePlugin({
  setup(ctx) {
    initReviewModels(ctx.sequelize);
    const settings = defineReviewsSettings(ctx);
    ctx.capabilities.register(MODERATE, 'Moderate product reviews, seller replies and reports', ['admin', 'moderator']);
    // The review form takes other plugins' fields (gdpr's consent boxes): said at run time so they find it.
    ctx.forms.declare('reviews.review', { label: 'Writing a product review' });
    writeRoutes(ctx, settings);
    interactionRoutes(ctx, settings);
    photoRoutes(ctx);
    accountRoutes(ctx);
    adminRoutes(ctx);
    reviewSlots(ctx, settings);
    reviewsPrivacy(ctx);
    // After shops' demo catalog (10) and orders (20): reviews of the demo buyer's paid orders.
    ctx.hooks.on('core.demo.seeded', () => seedDemoReviews(ctx), { priority: 30 });
  },
  async uninstall(ctx) {
    await ctx.files.private.removeAll();
  },
});

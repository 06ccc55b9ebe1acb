import { definePlugin } from '@agora/core';
import './hooks';
import './jobs';
import { StripeGateway } from './gateway';
import { defineStripeJobs } from './jobs';
import { stripeListeners } from './listeners';
import { initStripeModels } from './models';
import { stripePrivacy } from './privacy';
import { adminRoutes } from './routes/admin-routes';
import { cancelRoute } from './routes/cancel-route';
import { connectRoutes } from './routes/connect-routes';
import { webhookRoute } from './routes/webhook-route';
import { sellerSlots } from './seller-slots';
import { defineStripeSettings } from './settings';

export default definePlugin({
  setup(ctx) {
    initStripeModels(ctx.sequelize);
    const settings = defineStripeSettings(ctx);
    const gateway = new StripeGateway(ctx, settings);
    ctx.hooks.filter('shops.payment.gateways', (gateways) => [...gateways, gateway]);
    // "Place order" answers with a redirect to Stripe Checkout, and Connect onboarding to Stripe's own pages.
    ctx.http.formTarget('https://checkout.stripe.com');
    ctx.http.formTarget('https://connect.stripe.com');
    webhookRoute(ctx, settings);
    cancelRoute(ctx, settings);
    connectRoutes(ctx, settings);
    adminRoutes(ctx, settings);
    sellerSlots(ctx, settings);
    stripeListeners(ctx, settings);
    defineStripeJobs(ctx, settings);
    stripePrivacy(ctx);
  },
});

import { definePlugin } from '@agora/core';
import './hooks';
import { initFollowsModels } from './models';
import { defineFollowsSettings } from './settings';
import { listenToShops, defineFollowsJobs } from './jobs';
import { followRoutes } from './routes/follow-routes';
import { accountRoutes } from './routes/account-routes';
import { unfollowLinkRoutes } from './routes/unfollow-link-routes';
import { favouriteRoutes } from './routes/favourite-routes';
import { fillSlots } from './slots';
import { registerFollowsPrivacy } from './privacy';
import { createFollowsService } from './service';

export default definePlugin({
  setup(ctx) {
    initFollowsModels(ctx.sequelize);
    const settings = defineFollowsSettings(ctx);
    defineFollowsJobs(ctx, settings);
    listenToShops(ctx);
    followRoutes(ctx);
    accountRoutes(ctx, settings);
    unfollowLinkRoutes(ctx);
    favouriteRoutes(ctx, settings);
    fillSlots(ctx);
    registerFollowsPrivacy(ctx);
    ctx.provide<'follows'>(createFollowsService());
  },
});

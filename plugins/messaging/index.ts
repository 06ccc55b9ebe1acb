import { definePlugin } from '@agora/core';
import './hooks';
import { initMessagingModels } from './models';
import { defineMessagingSettings } from './settings';
import { READ_ALL } from './services/access';
import { sendMessageMail } from './services/notify';
import { sendReportMail, sendSanctionMail } from './services/moderation';
import { registerMessagingPrivacy } from './privacy';
import { declareMessagingAccountHolds } from './account-holds';
import { registerMessagingSlots } from './slots';
import { newConversationRoutes } from './routes/new-conversation-routes';
import { contactRoutes } from './routes/contact-routes';
import { threadRoutes } from './routes/thread-routes';
import { inboxRoutes } from './routes/inbox-routes';
import { adminRoutes } from './routes/admin-routes';
import { seedDemoConversations } from './demo';

export default definePlugin({
  setup(ctx) {
    initMessagingModels(ctx.sequelize);
    const settings = defineMessagingSettings(ctx);
    ctx.capabilities.register(READ_ALL, 'Read every conversation (each reading is logged) and act on reports', ['admin']);
    // The forms that open a conversation take other plugins' fields (gdpr's consent box).
    ctx.forms.declare('messaging.contact', { label: 'Contacting a seller or the store' });
    ctx.jobs.define('messaging.notify', async (payload) => sendMessageMail(ctx, Number(payload.messageId)));
    ctx.jobs.define('messaging.warning-mail', async (payload) => sendSanctionMail(ctx, Number(payload.sanctionId)));
    ctx.jobs.define('messaging.report-mail', async (payload) => sendReportMail(ctx, Number(payload.reportId)));
    registerMessagingPrivacy(ctx, settings);
    declareMessagingAccountHolds(ctx);
    registerMessagingSlots(ctx);
    ctx.admin.menu({ id: 'messaging', label: 'Messages', href: '/admin/messages', capability: READ_ALL, order: 40 });

    // After shops' demo catalog (10) and orders (20).
    ctx.hooks.on('core.demo.seeded', () => seedDemoConversations(ctx, settings), { priority: 30 });

    newConversationRoutes(ctx, settings);
    contactRoutes(ctx, settings);
    inboxRoutes(ctx);
    threadRoutes(ctx, settings);
    adminRoutes(ctx);
  },
  async uninstall(ctx) {
    await ctx.files.private.removeAll();
  },
});

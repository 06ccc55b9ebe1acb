import { cancelMail, definePlugin } from '@agora/core';
import { initModels, NewsletterSubscriber } from './models';
import { defineNewsletterSettings } from './settings';
import { Subscriptions } from './services/subscriptions';
import { BATCH_JOB, Campaigns } from './services/campaigns';
import { signupRoutes } from './routes/signup-routes';
import { unsubscribeRoutes } from './routes/unsubscribe-routes';
import { adminRoutes, MANAGE } from './routes/admin-routes';
import { registerFormBoxes } from './form-extensions';
import { registerNewsletterPrivacy } from './privacy';
import { declareNewsletterIpRetention } from './ip-retention';
import { listenForObjections } from './objection';
import type {} from './hooks';

const FOOTER_SECTIONS = 'newsletterFooterSections';

/** The double opt-in newsletter (issue #11); see docs/newsletter.md. */
export default definePlugin({
  setup(ctx) {
    initModels(ctx.sequelize);
    const settings = defineNewsletterSettings(ctx);
    const subscriptions = new Subscriptions(ctx, settings);
    const campaigns = new Campaigns(ctx, settings);

    ctx.forms.declare('newsletter.signup', { label: 'Newsletter signup' });
    ctx.capabilities.register(MANAGE, 'See newsletter subscribers and send campaigns', ['admin']);
    ctx.admin.menu({ id: 'newsletter', label: 'Newsletter', href: '/admin/newsletter', capability: MANAGE, order: 45 });
    ctx.admin.widget({
      id: 'newsletter-subscribers',
      title: 'Newsletter',
      capability: MANAGE,
      render: async () => {
        const confirmed = await NewsletterSubscriber.count({ where: { status: 'confirmed' } });
        const pending = await NewsletterSubscriber.count({ where: { status: 'pending' } });
        return `<p><a href="/admin/newsletter?status=confirmed">${confirmed} confirmed subscribers</a> · ${pending} waiting for confirmation</p>`;
      },
    });

    ctx.jobs.define(BATCH_JOB, (payload) => campaigns.runBatch(payload.campaignId));

    // Checked at the mail filter, so no newsletter mail reaches an address that unsubscribed or was erased,
    // whatever path it takes (a batch, a retried job, a test send, code calling the mailer). Other plugins'
    // marketing (follows' emails, opted into per shop) has its own opt-out; objections stop all of it (gdpr).
    ctx.hooks.filter('core.email.message', async (message) => {
      if (message.category !== 'marketing' || !message.template.startsWith('newsletter/')) return message;
      return (await subscriptions.isSuppressed(message.to)) ? cancelMail(message, 'the address is on the newsletter suppression list (unsubscribed or erased)') : message;
    });

    signupRoutes(ctx, subscriptions, settings);
    unsubscribeRoutes(ctx, subscriptions, settings);
    adminRoutes(ctx, campaigns);
    registerFormBoxes(ctx, subscriptions, settings);
    registerNewsletterPrivacy(ctx, subscriptions, settings);
    declareNewsletterIpRetention(ctx);
    listenForObjections(ctx, subscriptions);

    ctx.assets.script({ src: '/plugins/newsletter/campaign-progress.js', consent: 'necessary', templates: 'newsletter/admin/campaign' });
    // The footer form carries the signup section's extensions (gdpr's consent boxes) like the page does. Slot
    // fills get the page's locals but not the request the extensions need, so the request is kept in a local
    // for this fill; the section is rendered only when the footer is.
    ctx.http.use('early', (req, res, next) => {
      res.locals[FOOTER_SECTIONS] = () => ctx.forms.render('newsletter.signup', { req, context: { viewer: req.user ?? null } });
      next();
    });
    // On every page but the newsletter's own (which have the full form or are answers to a link).
    ctx.slot('core.footer', async ({ template, locals }) => {
      const { footerSignup, listName, pitch } = settings();
      if (!footerSignup || template.startsWith('newsletter/')) return undefined;
      const sections = locals[FOOTER_SECTIONS];
      const formSections = typeof sections === 'function' ? await (sections as () => Promise<unknown>)() : [];
      return { template: 'newsletter/footer-signup', data: { listName, pitch, formSections } };
    });
    ctx.slot('core.footer.links', () => ({ html: '<li><a href="/newsletter">Newsletter</a></li>' }));
  },
});

import type { NewsletterSubscriber } from './models/subscriber';
import type { NewsletterCampaign } from './models/campaign';

/** What the newsletter fires, declares and runs; see docs/newsletter.md. */
declare module '@agora/core' {
  interface FormSectionMap {
    /**
     * The signup form (`/newsletter` and the footer); extensions (gdpr's consent boxes) render before its
     * button and commit in the transaction that writes the subscription, before the confirmation mail goes.
     * `viewer` is the signed-in person or null; `subscriberId` the row just written (new or renewed).
     */
    'newsletter.signup': { render: { viewer: Express.User | null }; commit: { subscriberId: number; email: string } };
  }
  interface ActionMap {
    /** An address followed its confirmation link: it receives campaigns from now on (after commit). */
    'newsletter.subscriber.confirmed': [subscriber: NewsletterSubscriber];
    /** An address left the list (link, one-click POST, account, admin); it is on the suppression list (after commit). */
    'newsletter.subscriber.unsubscribed': [subscriber: NewsletterSubscriber, how: string];
    /** Every recipient of a campaign was mailed or skipped. */
    'newsletter.campaign.sent': [campaign: NewsletterCampaign];
  }
  interface JobMap {
    /** Sends the next batch of a campaign and plans the one after (`batchSize`, `batchIntervalSeconds`). */
    'newsletter.campaign.batch': { campaignId: number };
  }
}

export {};

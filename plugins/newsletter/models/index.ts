import type { Sequelize } from 'sequelize';
import { NewsletterSubscriber } from './subscriber';
import { NewsletterEvent } from './event';
import { NewsletterSuppression } from './suppression';
import { NewsletterCampaign } from './campaign';
import { NewsletterDelivery } from './delivery';

export { NewsletterSubscriber, NewsletterEvent, NewsletterSuppression, NewsletterCampaign, NewsletterDelivery };

export function initModels(sequelize: Sequelize): void {
  NewsletterSubscriber.initModel(sequelize);
  NewsletterEvent.initModel(sequelize);
  NewsletterSuppression.initModel(sequelize);
  NewsletterCampaign.initModel(sequelize);
  NewsletterDelivery.initModel(sequelize);
}

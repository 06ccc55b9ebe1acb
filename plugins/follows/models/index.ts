import type { Sequelize } from 'sequelize';
import { Follow } from './follow';
import { Preference } from './preference';
import { FollowEvent } from './event';
import { Notification } from './notification';
import { Digest } from './digest';
import { Favourite } from './favourite';

export { Follow, Preference, FollowEvent, Notification, Digest, Favourite };

export function initFollowsModels(sequelize: Sequelize): void {
  for (const model of [Follow, Preference, FollowEvent, Notification, Digest, Favourite]) model.initModel(sequelize);
  Notification.belongsTo(FollowEvent, { foreignKey: 'event_id', as: 'event' });
}

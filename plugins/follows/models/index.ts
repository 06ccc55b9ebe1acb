import type { Sequelize } from 'sequelize';
import { Follow } from './follow';
import { Preference } from './preference';
import { FollowEvent } from './event';
import { Notification } from './notification';
import { Digest } from './digest';

export { Follow, Preference, FollowEvent, Notification, Digest };

export function initFollowsModels(sequelize: Sequelize): void {
  for (const model of [Follow, Preference, FollowEvent, Notification, Digest]) model.initModel(sequelize);
  Notification.belongsTo(FollowEvent, { foreignKey: 'event_id', as: 'event' });
}

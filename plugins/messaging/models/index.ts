import type { Sequelize } from 'sequelize';
import { Conversation } from './conversation';
import { Message } from './message';
import { Attachment } from './attachment';
import { Report } from './report';
import { Sanction } from './sanction';
import { AdminRead } from './admin-read';

export { Conversation, Message, Attachment, Report, Sanction, AdminRead };

export function initMessagingModels(sequelize: Sequelize): void {
  for (const model of [Conversation, Message, Attachment, Report, Sanction, AdminRead]) model.initModel(sequelize);
}

import { Op } from 'sequelize';
import type { PluginContext } from '@agora/core';
import { Message } from './models/message';

/**
 * An account that wrote in a conversation is kept by core's rule for unverified accounts: the other party
 * (a seller, the store) holds the thread, and the person reads the answers through the account.
 */
export function declareMessagingAccountHolds(ctx: PluginContext): void {
  ctx.privacy.accountHold('conversations', async (userIds, transaction) => {
    const authors = await Message.findAll({ where: { author_id: { [Op.in]: [...userIds] } }, attributes: ['author_id'], group: ['author_id'], transaction });
    return authors.map((m) => m.author_id!);
  });
}

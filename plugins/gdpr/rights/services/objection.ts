import { Op, type Transaction } from 'sequelize';
import { cancelMail, type OutgoingMail } from '@agora/core';
import { RightsRequest } from '../models/rights-request';
import type { RightsDeps } from './deps';
import { emailHash } from './secrets';
import '../hooks';

/**
 * Carries out an objection (Art. 21(2)-(3)): plugins that send marketing or profile people stop through
 * the hook, and from now on every marketing email to the person is cancelled by the mail filter below.
 */
export async function applyObjection(deps: RightsDeps, person: { email: string; userId?: number }, transaction: Transaction): Promise<void> {
  await deps.ctx.hooks.do('gdpr.objection.recorded', person, transaction);
  await deps.ctx.mail.send({
    to: person.email,
    userId: person.userId,
    subject: 'We stopped all marketing to you',
    template: 'gdpr/rights/mail/objection',
    data: { rightsUrl: `${deps.ctx.config.baseUrl}/privacy/rights` },
  });
}

/** Whether the person (by address hash, or account) has objected. */
export async function hasObjected(deps: RightsDeps, email: string, userId?: number): Promise<boolean> {
  const who = [{ email_hash: emailHash(deps.ctx.config.sessionSecret, email) }, ...(userId ? [{ user_id: userId }] : [])];
  const found = await RightsRequest.findOne({ where: { kind: 'objection', status: 'completed', [Op.or]: who }, attributes: ['id'] });
  return !!found;
}

/** Marketing mail to a person who objected is cancelled (kept in the outbox with the reason), whoever sends it. */
export function blockMarketingAfterObjection(deps: RightsDeps): void {
  deps.ctx.hooks.filter('core.email.message', async (message: OutgoingMail) => {
    if (message.category !== 'marketing') return message;
    if (await hasObjected(deps, message.to, message.userId)) return cancelMail(message, 'the person objected to marketing (GDPR Art. 21)');
    return message;
  });
}

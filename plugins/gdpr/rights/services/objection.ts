import { Op, type Transaction } from 'sequelize';
import type { Request } from 'express';
import { cancelMail, type ConsentCategory, type OutgoingMail } from '@agora/core';
import { RightsRequest } from '../models/rights-request';
import type { RightsDeps } from './deps';
import { emailHash } from './secrets';
import '../hooks';

declare module 'express-session' {
  interface SessionData {
    /** This browser's person objected to marketing and profiling (set when a guest's objection is confirmed). */
    gdprObjected?: boolean;
  }
}

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

/** Answers for a signed-in person, cached briefly: the check runs on every page. */
const CACHE_MS = 30_000;

/**
 * Targeting ("marketing" consent) is off for a person who objected, whatever the banner says: for a
 * signed-in person on every device, for a guest in the browser that confirmed the objection. Runs after the
 * banner's own answer (priority 100).
 */
export function dropTargetingAfterObjection(deps: RightsDeps): void {
  const cache = new Map<number, { objected: boolean; at: number }>();
  deps.ctx.hooks.filter(
    'core.consent.categories',
    async (categories: Set<ConsentCategory>, req: Request) => {
      if (!categories.has('marketing')) return categories;
      let objected = req.session?.gdprObjected === true;
      const user = req.user;
      if (!objected && user) {
        const hit = cache.get(user.id);
        if (hit && Date.now() - hit.at < CACHE_MS) objected = hit.objected;
        else {
          objected = await hasObjected(deps, user.email, user.id);
          if (cache.size > 10_000) cache.clear();
          cache.set(user.id, { objected, at: Date.now() });
        }
      }
      if (!objected) return categories;
      const without = new Set(categories);
      without.delete('marketing');
      return without;
    },
    { priority: 100 },
  );
  deps.ctx.hooks.on('gdpr.objection.recorded', async (person) => {
    if (person.userId) cache.delete(person.userId);
  });
}

import { Op, QueryTypes } from 'sequelize';
import { afterCommit, currentTransaction, type PluginContext } from '@agora/core';
import { NewsletterEvent, NewsletterSubscriber, NewsletterSuppression } from '../models';
import type { SubscriptionSource } from '../models/subscriber';
import { addressHash, normalizeEmail } from './addresses';
import { confirmUrl, newNonce, readConfirm, unsubscribePageUrl } from './links';
import type { NewsletterSettings } from '../settings';

/** How each source reads in the record of a subscription. */
const HOW: Record<SubscriptionSource, string> = {
  footer: 'signup form in the footer',
  page: 'signup form at /newsletter',
  register: 'box on the registration form',
  account: 'box on the account page',
};

export interface SignupRequest {
  email: string;
  source: SubscriptionSource;
  ip: string | null;
  userId?: number | null;
}

export class Subscriptions {
  constructor(
    private readonly ctx: PluginContext,
    private readonly settings: () => NewsletterSettings,
  ) {}

  /**
   * Records the wish to subscribe and sends a confirmation link, in the ambient transaction (the caller's
   * form). A confirmed address is left as it is and gets no mail, so the answer to the person is the same
   * whatever the address's state ("check your inbox"). Returns the row (new or renewed).
   */
  async signup(request: SignupRequest): Promise<{ subscriber: NewsletterSubscriber; linkSent: boolean }> {
    const email = normalizeEmail(request.email);
    const now = new Date();
    // By the hash: an address that left the list is kept only as its hash, and comes back to the same row.
    const existing = await NewsletterSubscriber.findOne({ where: { email_hash: addressHash(email) } });
    if (existing?.status === 'confirmed') {
      if (request.userId && !existing.user_id) await existing.update({ user_id: request.userId });
      return { subscriber: existing, linkSent: false };
    }
    const nonce = newNonce();
    let subscriber: NewsletterSubscriber;
    if (!existing) {
      subscriber = await NewsletterSubscriber.create({
        email,
        email_hash: addressHash(email),
        user_id: request.userId ?? null,
        status: 'pending',
        source: request.source,
        confirm_nonce: nonce,
        consented_at: now,
        confirmed_at: null,
        unsubscribed_at: null,
      });
      await this.record(subscriber.id, 'subscribed', HOW[request.source], request.ip);
    } else {
      const wasUnsubscribed = existing.status === 'unsubscribed';
      // A new link replaces the one sent before (its nonce no longer matches); the source is where they asked last.
      subscriber = await existing.update({ email, status: 'pending', confirm_nonce: nonce, source: request.source, consented_at: now, user_id: existing.user_id ?? request.userId ?? null });
      await this.record(subscriber.id, wasUnsubscribed ? 'subscribed' : 'link_sent', HOW[request.source], request.ip);
    }
    await this.sendConfirmation(subscriber, nonce);
    return { subscriber, linkSent: true };
  }

  /** Transactional: it is the answer to the person's own request, and the only way in after an unsubscribe. */
  private async sendConfirmation(subscriber: NewsletterSubscriber, nonce: string): Promise<void> {
    const { listName, confirmHours } = this.settings();
    await this.ctx.mail.send({
      to: subscriber.email!,
      subject: `Confirm your subscription to ${listName}`,
      template: 'newsletter/mail/confirm',
      data: { listName, link: confirmUrl(this.ctx, subscriber.id, nonce, confirmHours), hours: confirmHours },
      userId: subscriber.user_id ?? undefined,
    });
  }

  /** What a confirmation link would do now, for the page it opens (which confirms nothing by itself). */
  async linkState(token: unknown): Promise<{ state: 'ready'; email: string } | { state: 'already' | 'used' | 'expired' | 'invalid' }> {
    const read = readConfirm(this.ctx, token);
    if (!read.ok) return { state: read.reason };
    const subscriber = await NewsletterSubscriber.findByPk(read.subscriberId);
    if (subscriber?.status === 'confirmed') return { state: 'already' };
    if (!subscriber?.email || subscriber.status !== 'pending' || subscriber.confirm_nonce !== read.nonce) return { state: 'used' };
    return { state: 'ready', email: subscriber.email };
  }

  /**
   * Follows a confirmation link once: the conditional update `pending + this nonce → confirmed` lets exactly
   * one request through, so a link opened twice (or a double click) confirms once and is then used up.
   */
  async confirm(token: unknown, ip: string | null): Promise<{ outcome: 'confirmed' | 'already' | 'used' | 'expired' | 'invalid'; subscriber?: NewsletterSubscriber }> {
    const read = readConfirm(this.ctx, token);
    if (!read.ok) return { outcome: read.reason };
    return this.ctx.sequelize.transaction(async (tx) => {
      const now = new Date();
      const [count] = await NewsletterSubscriber.update(
        { status: 'confirmed', confirm_nonce: null, confirmed_at: now, unsubscribed_at: null },
        { where: { id: read.subscriberId, status: 'pending', confirm_nonce: read.nonce } },
      );
      const subscriber = await NewsletterSubscriber.findByPk(read.subscriberId);
      if (count !== 1 || !subscriber) return { outcome: subscriber?.status === 'confirmed' ? 'already' : 'used', subscriber: subscriber ?? undefined };
      // They asked again and proved it: the address leaves the suppression list.
      await NewsletterSuppression.destroy({ where: { address_hash: subscriber.email_hash } });
      await this.record(subscriber.id, 'confirmed', 'confirmation link', ip);
      afterCommit(tx, () => void this.ctx.hooks.do('newsletter.subscriber.confirmed', subscriber));
      return { outcome: 'confirmed', subscriber };
    });
  }

  /**
   * Takes the address off the list by its hash (all an unsubscribe link knows) and puts the hash on the
   * suppression list. Idempotent: the state change is recorded only by the request that made it.
   */
  async unsubscribe(hash: string, how: string, ip: string | null): Promise<{ changed: boolean }> {
    return this.ctx.sequelize.transaction(async (tx) => {
      await this.suppress(hash, 'unsubscribed');
      const subscriber = await NewsletterSubscriber.findOne({ where: { email_hash: hash } });
      if (!subscriber) return { changed: false };
      // The address itself goes: what stays is its hash (here and on the suppression list) and the record.
      const [count] = await NewsletterSubscriber.update(
        { status: 'unsubscribed', email: null, confirm_nonce: null, unsubscribed_at: new Date() },
        { where: { id: subscriber.id, status: { [Op.ne]: 'unsubscribed' } } },
      );
      if (count !== 1) return { changed: false };
      await this.record(subscriber.id, 'unsubscribed', how, ip);
      await subscriber.reload();
      afterCommit(tx, () => void this.ctx.hooks.do('newsletter.subscriber.unsubscribed', subscriber, how));
      return { changed: true };
    });
  }

  /** The hash joins the suppression list once (a unique key; a concurrent insert is a no-op). */
  async suppress(hash: string, reason: 'unsubscribed' | 'erased'): Promise<void> {
    await this.ctx.sequelize.query('INSERT INTO newsletter_suppressions (address_hash, reason, created_at) VALUES (?, ?, ?) ON CONFLICT (address_hash) DO NOTHING', {
      replacements: [hash, reason, new Date()],
      type: QueryTypes.INSERT,
      transaction: currentTransaction(this.ctx.sequelize),
    });
  }

  async isSuppressed(email: string): Promise<boolean> {
    return (await NewsletterSuppression.count({ where: { address_hash: addressHash(email) } })) > 0;
  }

  /** The subscription of an account: by its user id, or by its address. */
  async ofUser(user: { id: number; email: string }): Promise<NewsletterSubscriber | null> {
    return (await NewsletterSubscriber.findOne({ where: { email_hash: addressHash(user.email) } })) ?? NewsletterSubscriber.findOne({ where: { user_id: user.id }, order: [['id', 'DESC']] });
  }

  unsubscribeLink(email: string): string {
    return unsubscribePageUrl(this.ctx, addressHash(email));
  }

  private async record(subscriberId: number, kind: NewsletterEvent['kind'], how: string, ip: string | null): Promise<void> {
    await NewsletterEvent.create({ subscriber_id: subscriberId, kind, how, ip: ip ? ip.slice(0, 64) : null });
  }
}

import { QueryTypes } from 'sequelize';
import type { PluginContext } from '@agora/core';
import { NewsletterCampaign, NewsletterDelivery, NewsletterSubscriber } from '../models';
import { addressHash } from './addresses';
import { unsubscribeOption, unsubscribePageUrl } from './links';
import type { NewsletterSettings } from '../settings';

export const BATCH_JOB = 'newsletter.campaign.batch';

export class CampaignAlreadyStarted extends Error {}

/** Sending campaigns: the recipient list is fixed when sending starts, then worked through in batches by a job. */
export class Campaigns {
  constructor(
    private readonly ctx: PluginContext,
    private readonly settings: () => NewsletterSettings,
  ) {}

  /**
   * Claims the draft (`draft → sending`, one request wins), lists every confirmed subscriber as a pending
   * delivery and enqueues the first batch, all in one transaction: a double click sends one campaign.
   */
  async start(campaignId: number): Promise<NewsletterCampaign> {
    return this.ctx.sequelize.transaction(async () => {
      const now = new Date();
      const [claimed] = await NewsletterCampaign.update({ status: 'sending', started_at: now }, { where: { id: campaignId, status: 'draft' } });
      if (claimed !== 1) throw new CampaignAlreadyStarted();
      await this.ctx.sequelize.query(
        "INSERT INTO newsletter_deliveries (campaign_id, subscriber_id, status, created_at) SELECT ?, id, 'pending', ? FROM newsletter_subscribers WHERE status = 'confirmed'",
        { replacements: [campaignId, now], type: QueryTypes.INSERT },
      );
      const total = await NewsletterDelivery.count({ where: { campaign_id: campaignId } });
      await NewsletterCampaign.update({ total }, { where: { id: campaignId } });
      await this.ctx.jobs.enqueue(BATCH_JOB, { campaignId }, { dedupeKey: `${BATCH_JOB}:${campaignId}:1` });
      return (await NewsletterCampaign.findByPk(campaignId))!;
    });
  }

  /**
   * One batch. The batch number is claimed first (`batches = n → n + 1`), so a duplicate job for the same
   * batch sends nothing; each recipient is then claimed `pending → sent` in the transaction that writes
   * its mail to the outbox, so a job run again after a crash mails only those not mailed yet.
   */
  async runBatch(campaignId: number): Promise<void> {
    const campaign = await NewsletterCampaign.findByPk(campaignId);
    if (!campaign || campaign.status !== 'sending') return;
    const [claimed] = await NewsletterCampaign.update({ batches: campaign.batches + 1 }, { where: { id: campaign.id, batches: campaign.batches, status: 'sending' } });
    if (claimed !== 1) return;
    const { batchSize, batchIntervalSeconds, listName } = this.settings();
    const due = await NewsletterDelivery.findAll({ where: { campaign_id: campaign.id, status: 'pending' }, order: [['id', 'ASC']], limit: batchSize });
    for (const delivery of due) await this.deliver(campaign, delivery, listName);

    if ((await NewsletterDelivery.count({ where: { campaign_id: campaign.id, status: 'pending' } })) > 0) {
      await this.ctx.jobs.enqueue(BATCH_JOB, { campaignId }, { dedupeKey: `${BATCH_JOB}:${campaignId}:${campaign.batches + 2}`, delayMs: batchIntervalSeconds * 1000 });
      return;
    }
    const [finished] = await NewsletterCampaign.update({ status: 'sent', finished_at: new Date() }, { where: { id: campaign.id, status: 'sending' } });
    if (finished === 1) await this.ctx.hooks.do('newsletter.campaign.sent', (await NewsletterCampaign.findByPk(campaign.id))!);
  }

  private async deliver(campaign: NewsletterCampaign, delivery: NewsletterDelivery, listName: string): Promise<void> {
    await this.ctx.sequelize.transaction(async () => {
      const subscriber = await NewsletterSubscriber.findByPk(delivery.subscriber_id);
      // Someone who left the list after sending began is skipped, not mailed.
      const sendable = subscriber?.status === 'confirmed' && !!subscriber.email;
      const [claimed] = await NewsletterDelivery.update({ status: sendable ? 'sent' : 'skipped', sent_at: sendable ? new Date() : null }, { where: { id: delivery.id, status: 'pending' } });
      if (claimed !== 1) return;
      if (!sendable || !subscriber) {
        await NewsletterCampaign.increment('skipped_count', { where: { id: campaign.id } });
        return;
      }
      const outboxId = await this.sendTo(campaign, subscriber.email!, listName, subscriber.user_id ?? undefined);
      await NewsletterDelivery.update({ outbox_id: outboxId }, { where: { id: delivery.id } });
      await NewsletterCampaign.increment('sent_count', { where: { id: campaign.id } });
    });
  }

  /** A test send to the admin: the same email and headers, subject marked, recorded nowhere but the outbox. */
  async sendTest(campaign: NewsletterCampaign, email: string): Promise<void> {
    await this.sendTo(campaign, email, this.settings().listName, undefined, true);
  }

  private sendTo(campaign: NewsletterCampaign, email: string, listName: string, userId?: number, test = false): Promise<number> {
    const hash = addressHash(email);
    return this.ctx.mail.send({
      to: email,
      subject: test ? `[Test] ${campaign.subject}` : campaign.subject,
      template: 'newsletter/mail/campaign',
      category: 'marketing',
      unsubscribe: unsubscribeOption(this.ctx, hash),
      data: { listName, paragraphs: paragraphs(campaign.body), unsubscribeUrl: unsubscribePageUrl(this.ctx, hash), test },
      userId,
    });
  }

  /** Enqueues another batch for a campaign still sending; the claims make a batch too many harmless. */
  async resume(campaignId: number): Promise<boolean> {
    const campaign = await NewsletterCampaign.findByPk(campaignId);
    if (campaign?.status !== 'sending') return false;
    await this.ctx.jobs.enqueue(BATCH_JOB, { campaignId }, { dedupeKey: `${BATCH_JOB}:${campaignId}:resume:${campaign.batches}` });
    return true;
  }

  /** Counts for the admin's progress bar. */
  async progress(campaignId: number): Promise<{ status: string; total: number; sent: number; skipped: number; pending: number; percent: number } | undefined> {
    const campaign = await NewsletterCampaign.findByPk(campaignId);
    if (!campaign) return undefined;
    const pending = campaign.status === 'draft' ? 0 : await NewsletterDelivery.count({ where: { campaign_id: campaignId, status: 'pending' } });
    const done = campaign.total - pending;
    return {
      status: campaign.status,
      total: campaign.total,
      sent: campaign.sent_count,
      skipped: campaign.skipped_count,
      pending,
      percent: campaign.total ? Math.floor((done / campaign.total) * 100) : campaign.status === 'sent' ? 100 : 0,
    };
  }

  /** How many would receive a campaign sent now. */
  recipientsNow(): Promise<number> {
    return NewsletterSubscriber.count({ where: { status: 'confirmed' } });
  }
}

/** The body as typed: blank lines part paragraphs, line breaks stay; the template escapes every line. */
export function paragraphs(body: string): string[][] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.split('\n').map((l) => l.trimEnd()))
    .filter((p) => p.some((l) => l.trim()));
}

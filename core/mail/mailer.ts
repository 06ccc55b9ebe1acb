import nodemailer, { type Transporter } from 'nodemailer';
import { convert } from 'html-to-text';
import '../privacy/personal-data';
import { OutboxMessage } from './outbox-model';
import type { Hooks } from '../hooks';
import type { Renderer } from '../themes/renderer';
import type { JobQueue } from '../jobs/job-queue';
import { log } from '../log';

declare module '../hooks' {
  interface FilterMap {
    'core.email.subject': [subject: string, message: MailMessage];
  }
  interface ActionMap {
    'core.email.sent': [message: { id: number; to: string; subject: string }];
  }
}

export interface MailMessage {
  to: string;
  subject: string;
  /** A template such as `core/mail/verify-email`, rendered without the page layout. */
  template: string;
  data?: Record<string, unknown>;
}

const DELIVER_JOB = 'core.mail.deliver';

/**
 * Renders mail from templates, writes it to the outbox and hands delivery to a job. With `SMTP_URL` the
 * job sends it through nodemailer; without it the message stays in the outbox for the admin to read.
 */
export class Mailer {
  private readonly transport: Transporter | undefined;

  constructor(
    private readonly renderer: Renderer,
    private readonly hooks: Hooks,
    private readonly jobs: JobQueue,
    private readonly settings: { smtpUrl?: string; from: string; baseUrl: string; siteName: () => string },
  ) {
    this.transport = settings.smtpUrl ? nodemailer.createTransport(settings.smtpUrl) : undefined;
    jobs.define(DELIVER_JOB, 'core', (payload) => this.deliver(Number(payload.id)));
  }

  async send(message: MailMessage): Promise<number> {
    const locals = { ...message.data, baseUrl: this.settings.baseUrl, siteName: this.settings.siteName(), subject: message.subject };
    const html = await this.renderer.render(message.template, locals, { layout: 'core/mail/layout' });
    const text = convert(html, { wordwrap: 100, selectors: [{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } }] });
    const subject = await this.hooks.apply('core.email.subject', message.subject, message);
    const row = await OutboxMessage.create({ to_address: message.to, subject, text_body: text, html_body: html, status: 'queued' });
    await this.jobs.enqueue(DELIVER_JOB, { id: row.id });
    return row.id;
  }

  /** Newest first; with `id`, just that message. */
  async list(limit = 100, offset = 0, id?: number): Promise<OutboxMessage[]> {
    return OutboxMessage.findAll({ where: id === undefined ? {} : { id }, order: [['id', 'DESC']], limit, offset });
  }

  private async deliver(id: number): Promise<void> {
    const row = await OutboxMessage.findByPk(id);
    if (!row || row.status === 'sent' || row.status === 'kept') return;
    if (!this.transport) {
      await row.update({ status: 'kept' });
      return;
    }
    try {
      await this.transport.sendMail({ from: this.settings.from, to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body ?? undefined });
      await row.update({ status: 'sent', error: null, sent_at: new Date() });
      await this.hooks.do('core.email.sent', { id, to: row.to_address, subject: row.subject });
    } catch (error) {
      log.warn({ err: error, outbox: id }, 'mail delivery failed');
      await row.update({ status: 'failed', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }
}

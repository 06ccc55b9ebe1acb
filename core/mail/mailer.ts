import nodemailer, { type Transporter } from 'nodemailer';
import { convert } from 'html-to-text';
import { z } from 'zod';
import '../privacy/personal-data';
import { OutboxMessage } from './outbox-model';
import { outgoing, outgoingMailSchema, type MailMessage, type OutgoingMail } from './message';
import { mailLayoutLocals, type StoreMailSettings } from './mail-layout';
import type { Hooks } from '../hooks';
import type { Renderer } from '../themes/renderer';
import type { JobQueue } from '../jobs/job-queue';
import { log } from '../log';

export type { MailMessage, MailCategory, MailCancellation, OutgoingMail } from './message';

declare module '../hooks' {
  interface ActionMap {
    'core.email.sent': [message: { id: number; to: string; subject: string }];
    /** A `core.email.message` listener stopped a message; it is in the outbox as cancelled. */
    'core.email.cancelled': [message: { id: number; to: string; subject: string; reason: string; by: string }];
  }
}

declare module '../jobs/job-map' {
  interface JobMap {
    /** Hands one outbox row to SMTP; retried by the queue when the server cannot be reached. */
    'core.mail.deliver': { id: number };
  }
}

const DELIVER_JOB = 'core.mail.deliver';
const DEPRECATED_SUBJECT = { hook: 'core.email.subject', replacement: 'core.email.message', since: '1.1.0' } as const;

export interface MailerSettings {
  smtpUrl?: string;
  from: string;
  baseUrl: string;
  siteName: () => string;
  /** The store's address, logo and policy links for the mail layout (core's General settings). */
  store?: () => Partial<StoreMailSettings>;
}

/**
 * Renders mail from templates, writes it to the outbox and hands delivery to a job. With `SMTP_URL` the
 * job sends it through nodemailer; without it the message stays in the outbox for the admin to read.
 * Before anything is rendered, `core.email.message` listeners may change the message or cancel it.
 */
export class Mailer {
  private readonly transport: Transporter | undefined;
  private readonly warnedSubject = new Set<string>();

  constructor(
    private readonly renderer: Renderer,
    private readonly hooks: Hooks,
    private readonly jobs: JobQueue,
    private readonly settings: MailerSettings,
  ) {
    this.transport = settings.smtpUrl ? nodemailer.createTransport(settings.smtpUrl) : undefined;
    jobs.define(DELIVER_JOB, 'core', (payload) => this.deliver(Number(payload.id)));
  }

  /** Queues a message (or records it as cancelled); returns its outbox id. A malformed message is a bug of the caller: it throws. */
  async send(message: MailMessage): Promise<number> {
    const given = outgoing(message);
    const valid = outgoingMailSchema.safeParse(given);
    if (!valid.success) throw new TypeError(`Cannot send this mail: ${z.prettifyError(valid.error)}`);
    const shaped = await this.hooks.apply('core.email.message', given);
    const checked = outgoingMailSchema.safeParse(shaped);
    if (!checked.success) {
      // A listener broke the message: the caller did nothing wrong, so it is kept as failed for the admin, not thrown.
      const error = `A core.email.message listener returned an invalid message: ${z.prettifyError(checked.error)}`;
      log.error({ to: message.to, subject: message.subject, error }, 'mail not queued');
      const row = await OutboxMessage.create({ ...this.columns(given), text_body: '', html_body: null, status: 'failed', error });
      return row.id;
    }
    const mail = shaped;
    if (mail.cancelled) return this.recordCancelled(mail);

    const store = this.store();
    const locals = { ...mail.data, ...mailLayoutLocals(store, this.settings.baseUrl), baseUrl: this.settings.baseUrl, siteName: store.siteName, subject: mail.subject, category: mail.category };
    const html = await this.renderer.render(mail.template, locals, { layout: 'core/mail/layout' });
    const text = convert(html, { wordwrap: 100, selectors: [{ selector: 'a', options: { hideLinkHrefIfSameAsText: true } }, { selector: 'img', format: 'skip' }] });
    const subject = await this.deprecatedSubject(mail);
    const row = await OutboxMessage.create({ ...this.columns(mail), subject, text_body: text, html_body: html, status: 'queued' });
    await this.jobs.enqueue(DELIVER_JOB, { id: row.id });
    return row.id;
  }

  /** Newest first; with `id`, just that message. */
  async list(limit = 100, offset = 0, id?: number): Promise<OutboxMessage[]> {
    return OutboxMessage.findAll({ where: id === undefined ? {} : { id }, order: [['id', 'DESC']], limit, offset });
  }

  private store(): StoreMailSettings {
    const given = this.settings.store?.() ?? {};
    return { siteName: given.siteName || this.settings.siteName(), storeAddress: given.storeAddress ?? '', logoUrl: given.logoUrl ?? '', termsUrl: given.termsUrl ?? '', privacyUrl: given.privacyUrl ?? '' };
  }

  private columns(mail: OutgoingMail) {
    return {
      to_address: String(mail.to).slice(0, 320),
      subject: String(mail.subject).slice(0, 500),
      headers: Object.keys(mail.headers ?? {}).length ? JSON.stringify(mail.headers) : null,
      category: mail.category === 'marketing' ? ('marketing' as const) : ('transactional' as const),
      user_id: mail.userId ?? null,
    };
  }

  /** Kept so the admin sees what was stopped and why, but without a body: nothing of it is ever delivered. */
  private async recordCancelled(mail: OutgoingMail): Promise<number> {
    const reason = mail.cancelled!.reason;
    const by = mail.cancelled!.by ?? 'unknown';
    const row = await OutboxMessage.create({ ...this.columns(mail), text_body: '', html_body: null, status: 'cancelled', cancel_reason: reason, cancelled_by: by });
    await this.hooks.do('core.email.cancelled', { id: row.id, to: row.to_address, subject: row.subject, reason, by });
    return row.id;
  }

  /** `core.email.subject` still shapes the subject; each plugin listening to it is told once to move on. */
  private async deprecatedSubject(mail: OutgoingMail): Promise<string> {
    if (!this.hooks.has(DEPRECATED_SUBJECT.hook)) return mail.subject;
    for (const { owner } of this.hooks.listeners(DEPRECATED_SUBJECT.hook)) {
      if (this.warnedSubject.has(owner)) continue;
      this.warnedSubject.add(owner);
      log.warn({ plugin: owner, ...DEPRECATED_SUBJECT }, `hook "${DEPRECATED_SUBJECT.hook}" is deprecated since ${DEPRECATED_SUBJECT.since}; use "${DEPRECATED_SUBJECT.replacement}"`);
    }
    const subject = await this.hooks.apply('core.email.subject', mail.subject, mail);
    // The old filter had no rules; a line break would now reach the SMTP header, so it falls back to the shaped subject.
    return typeof subject === 'string' && subject && !/[\r\n]/.test(subject) ? subject.slice(0, 500) : mail.subject;
  }

  private async deliver(id: number): Promise<void> {
    const row = await OutboxMessage.findByPk(id);
    if (!row || row.status === 'sent' || row.status === 'kept' || row.status === 'cancelled') return;
    if (!this.transport) {
      await row.update({ status: 'kept' });
      return;
    }
    try {
      await this.transport.sendMail({
        from: this.settings.from,
        to: row.to_address,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body ?? undefined,
        headers: row.headerMap(),
      });
      await row.update({ status: 'sent', error: null, sent_at: new Date() });
      await this.hooks.do('core.email.sent', { id, to: row.to_address, subject: row.subject });
    } catch (error) {
      log.warn({ err: error, outbox: id }, 'mail delivery failed');
      await row.update({ status: 'failed', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }
}

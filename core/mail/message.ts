import { z } from 'zod';
import type { FilterListener, FilterName } from '../hooks';

/** Transactional mail (a receipt, a password link) goes to anyone; marketing mail only to who did not object. */
export type MailCategory = 'transactional' | 'marketing';

export interface MailMessage {
  to: string;
  subject: string;
  /** A template such as `core/mail/verify-email`, rendered inside the theme's mail layout (`core/mail/layout`). */
  template: string;
  data?: Record<string, unknown>;
  /** Extra headers for the SMTP message. For unsubscribing, prefer `unsubscribe`, which writes both headers. */
  headers?: Record<string, string>;
  /**
   * Mail a person can stop (a newsletter, follow emails): core writes `List-Unsubscribe: <url>` (and the
   * mailto, if given) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), so mail clients
   * show their own unsubscribe button. The url must take a POST with no session and no CSRF token (the
   * signature in it is the proof) and stop the mail at once; the sender keeps that route.
   */
  unsubscribe?: MailUnsubscribe;
  /** Default `transactional`. */
  category?: MailCategory;
  /** The recipient's user id, when the mail is for an account: lets filters look the person up. */
  userId?: number;
}

/** The one-click unsubscribe address of a message (see `MailMessage.unsubscribe`). */
export interface MailUnsubscribe {
  /** Absolute http(s) address taking the one-click POST. */
  url: string;
  /** An optional `mailto:` alternative for clients without RFC 8058. */
  mailto?: string;
}

/** The two RFC 8058 headers for a message's unsubscribe address. */
export function unsubscribeHeaders(unsubscribe: MailUnsubscribe): Record<string, string> {
  if (!/^https?:\/\/[^\s<>,]+$/.test(unsubscribe.url)) throw new TypeError('An unsubscribe url is an absolute http(s) address');
  const mailto = unsubscribe.mailto ? `, <mailto:${unsubscribe.mailto.replace(/^mailto:/, '')}>` : '';
  return { 'List-Unsubscribe': `<${unsubscribe.url}>${mailto}`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/** Why a message was stopped, and by whom (core fills `by` with the plugin whose listener cancelled it). */
export interface MailCancellation {
  reason: string;
  by?: string;
}

/** What the `core.email.message` filter shapes: the message with its defaults filled in. */
export interface OutgoingMail extends MailMessage {
  data: Record<string, unknown>;
  headers: Record<string, string>;
  category: MailCategory;
  /** Set by a listener (see `cancelMail`): the message is recorded as cancelled and never delivered. */
  cancelled?: MailCancellation;
}

declare module '../hooks' {
  interface FilterMap {
    /** Change or cancel a message before it is rendered and queued (suppression lists, an objection to marketing). */
    'core.email.message': [message: OutgoingMail];
    /**
     * @deprecated since 1.1.0: use `core.email.message` (which can change the subject and everything else).
     * Still applied after it; its listeners are logged once per plugin.
     */
    'core.email.subject': [subject: string, message: MailMessage];
  }
}

/** A copy of the message marked as cancelled; return it from a `core.email.message` listener. */
export function cancelMail(message: OutgoingMail, reason: string): OutgoingMail {
  return { ...message, cancelled: { reason } };
}

/** Headers core writes itself, or that would change who receives the message: a plugin may not set them. */
const RESERVED_HEADERS = new Set(['from', 'to', 'cc', 'bcc', 'subject', 'date', 'message-id', 'sender', 'mime-version', 'content-type', 'content-transfer-encoding', 'return-path']);

const headerName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9-]{0,75}$/, 'A header name is letters, digits and dashes')
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), { message: 'This header is set by core' });
// A line break in a value would start a header of the attacker's choosing (header injection).
const headerValue = z.string().max(2000).regex(/^[^\r\n]*$/, 'A header value is one line');

/** What must hold of a message before it is queued, after every filter had its say. */
export const outgoingMailSchema = z.object({
  to: z.email(),
  subject: z.string().min(1).max(500).regex(/^[^\r\n]*$/, 'A subject is one line'),
  template: z.string().regex(/^[a-z0-9-]+\/[a-z0-9_\-/]+$/),
  data: z.record(z.string(), z.unknown()),
  // Names are checked one by one (not as the record's key schema) so the message says which header and why.
  headers: z.record(z.string(), headerValue).superRefine((headers, ctx) => {
    for (const name of Object.keys(headers)) {
      const checked = headerName.safeParse(name);
      if (!checked.success) ctx.addIssue({ code: 'custom', path: [name], message: `${name}: ${checked.error.issues[0].message}` });
    }
  }),
  category: z.enum(['transactional', 'marketing']),
  userId: z.number().int().positive().optional(),
  cancelled: z.object({ reason: z.string().min(1).max(1000), by: z.string().max(100).optional() }).optional(),
});

/** The message with its defaults: no headers (but the unsubscribe ones it asks for), no data, transactional. */
export function outgoing(message: MailMessage): OutgoingMail {
  const unsubscribe = message.unsubscribe ? unsubscribeHeaders(message.unsubscribe) : {};
  return { ...message, data: { ...message.data }, headers: { ...unsubscribe, ...message.headers }, category: message.category ?? 'transactional' };
}

type MessageListener = FilterListener<'core.email.message'>;

/**
 * Wraps a plugin's `core.email.message` listener so that the outbox names who cancelled a message from
 * who registered the listener, never from what a listener claims; and a cancellation is final: a later
 * listener cannot send what an earlier one stopped. Listeners of other hooks pass through unchanged.
 */
export function attributeMailListener<N extends FilterName>(owner: string, name: N, fn: FilterListener<N>): FilterListener<N> {
  if (name !== 'core.email.message') return fn;
  const listener = fn as unknown as MessageListener;
  const settle = (before: OutgoingMail, after: OutgoingMail): OutgoingMail => {
    if (before.cancelled) return { ...after, cancelled: before.cancelled };
    if (after.cancelled) return { ...after, cancelled: { reason: after.cancelled.reason, by: owner } };
    return after;
  };
  const wrapped: MessageListener = (message) => {
    const out = listener(message);
    return out instanceof Promise ? out.then((after) => settle(message, after)) : settle(message, out);
  };
  return wrapped as unknown as FilterListener<N>;
}

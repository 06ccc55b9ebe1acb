import { z } from 'zod';
import { REPORT_REASONS } from '../models/report';

const text = (max: number, required: string, tooLong = `At most ${max} characters`) =>
  z.preprocess((v) => (v === undefined || v === null ? '' : v), z.string('Enter text').trim().min(1, required).max(max, tooLong));

/** The one-time key a form carries, so that the same form sent twice is one message. */
const submission = z.string('Reload the page and try again').regex(/^[A-Za-z0-9_-]{16,64}$/, 'Reload the page and try again');

const body = (maxChars: number) => text(maxChars, 'Write your message', `A message is at most ${maxChars} characters`);

/** Contact seller / Contact me: what it is about travels as `about` (`product:12`, `order:34`, `general`). */
export const newConversationSchema = (maxChars: number) =>
  z.object({
    subject: text(200, 'Enter a subject'),
    body: body(maxChars),
    about: z.preprocess((v) => (v === undefined || v === '' ? 'general' : v), z.string().regex(/^(general|product:\d{1,10}|order:\d{1,10})$/, 'Choose what your message is about')),
    shop_id: z.coerce.number().int().positive().optional(),
    order_id: z.coerce.number().int().positive().optional(),
    submission,
  });

/** The store's contact form; `website` is the honeypot a person never sees (and a bot fills in). */
export const storeContactSchema = (maxChars: number, guest: boolean) =>
  z.object({
    name: guest ? text(100, 'Enter your name') : z.string().optional(),
    email: guest ? z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.email('Enter a valid email address').max(320)) : z.string().optional(),
    subject: text(200, 'Enter a subject'),
    body: body(maxChars),
    website: z.string().optional(),
    submission,
  });

export const replySchema = (maxChars: number) => z.object({ body: body(maxChars), submission, key: z.string().max(2000).optional() });

export const reportSchema = z.object({
  reason: z.enum(REPORT_REASONS, 'Choose spam or harassment'),
  note: z.preprocess((v) => (v === undefined || v === null ? '' : v), z.string().trim().max(1000, 'At most 1000 characters')),
});

export const statusSchema = z.object({ to: z.enum(['closed', 'open'], 'Choose close or reopen') });

export const MODERATION_ACTIONS = ['dismiss', 'warn', 'suspend', 'close_account'] as const;
export const moderationSchema = z.object({
  action: z.enum(MODERATION_ACTIONS, 'Choose what to do'),
  message: z.preprocess((v) => (v === undefined || v === null ? '' : v), z.string().trim().max(2000, 'At most 2000 characters')),
});

export const REPORT_REASON_LABELS: Record<(typeof REPORT_REASONS)[number], string> = { spam: 'Spam', harassment: 'Harassment' };

import { z } from 'zod';
import type { PluginContext } from '@agora/core';

export const newsletterSettingsSchema = z.object({
  listName: z.string().trim().min(1, 'Name the newsletter').max(80, 'At most 80 characters').default('Our newsletter'),
  pitch: z.string().trim().max(300, 'At most 300 characters').default('News, new shops and offers, about once a month. Unsubscribe in one click at any time.'),
  confirmHours: z.number({ message: 'Enter a whole number of hours' }).int('Enter a whole number of hours').min(1, 'At least 1 hour').max(24 * 14, 'At most 14 days').default(48),
  batchSize: z.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(1, 'At least 1').max(5000, 'At most 5000').default(100),
  batchIntervalSeconds: z.number({ message: 'Enter a whole number of seconds' }).int('Enter a whole number of seconds').min(0, 'Cannot be negative').max(3600, 'At most one hour').default(30),
  signupLimitPerHour: z.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(1, 'At least 1').max(1000).default(10),
  footerSignup: z.boolean().default(true),
  registerBox: z.boolean().default(true),
  unconfirmedDays: z.number({ message: 'Enter a whole number of days' }).int().min(1).max(365).default(30),
});

export type NewsletterSettings = z.infer<typeof newsletterSettingsSchema>;

export function defineNewsletterSettings(ctx: PluginContext): () => NewsletterSettings {
  ctx.settings.define({
    title: 'Newsletter',
    schema: newsletterSettingsSchema,
    fields: [
      { key: 'listName', label: 'Newsletter name', type: 'text', help: 'Shown on the signup form and in every email.' },
      { key: 'pitch', label: 'What subscribers get', type: 'textarea', help: 'One or two sentences beside the signup form.' },
      { key: 'confirmHours', label: 'Hours a confirmation link stays valid', type: 'number' },
      { key: 'batchSize', label: 'Emails per batch', type: 'number', help: 'A campaign is sent in batches of this many emails…' },
      { key: 'batchIntervalSeconds', label: 'Seconds between batches', type: 'number', help: '…with this pause between them, to stay within your mail provider’s sending limits.' },
      { key: 'signupLimitPerHour', label: 'Signups per hour from one address', type: 'number', help: 'More are refused with “too many attempts”, so nobody can flood inboxes with confirmation emails.' },
      { key: 'footerSignup', label: 'Show the signup form in the footer of every page', type: 'checkbox' },
      { key: 'registerBox', label: 'Offer the newsletter on the registration form', type: 'checkbox' },
      { key: 'unconfirmedDays', label: 'Days to keep signups that were never confirmed', type: 'number' },
    ],
  });
  return () => ctx.settings.get<NewsletterSettings>();
}

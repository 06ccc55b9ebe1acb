import { z } from 'zod';
import type { PluginContext } from '@agora/core';

const whole = (message: string) => z.number({ message }).int(message);

export const messagingSettingsSchema = z.object({
  /** New conversations one person may open within an hour; the next one is refused with a message. */
  conversationsPerHour: whole('Enter a whole number').min(1, 'At least 1').max(1000, 'At most 1000').default(20),
  /** Messages sent through the store's contact form from one address within an hour. */
  contactPerHour: whole('Enter a whole number').min(1, 'At least 1').max(1000, 'At most 1000').default(5),
  maxMessageChars: whole('Enter a whole number').min(100, 'At least 100').max(50_000, 'At most 50000').default(5000),
  maxAttachments: whole('Enter a whole number').min(0, 'Cannot be negative').max(10, 'At most 10').default(3),
  maxAttachmentMb: z.number({ message: 'Enter a number' }).min(0.1, 'At least 0.1').max(50, 'At most 50').default(5),
  /** An account younger than this whose first message holds a link waits for an admin. */
  newAccountDays: whole('Enter a whole number of days').min(0, 'Cannot be negative').max(365, 'At most 365').default(7),
  holdLinksFromNewAccounts: z.boolean().default(true),
  /** Closed conversations with no message for this long are deleted by the retention sweep. */
  retentionDays: whole('Enter a whole number of days').min(30, 'At least 30').max(3650, 'At most 3650').default(730),
});

export type MessagingSettings = z.infer<typeof messagingSettingsSchema>;

export function defineMessagingSettings(ctx: PluginContext): () => MessagingSettings {
  ctx.settings.define({
    title: 'Messaging',
    schema: messagingSettingsSchema,
    fields: [
      { key: 'conversationsPerHour', label: 'New conversations a person may open per hour', type: 'number' },
      { key: 'contactPerHour', label: 'Messages through the store contact form per address and hour', type: 'number' },
      { key: 'maxMessageChars', label: 'Longest message (characters)', type: 'number' },
      { key: 'maxAttachments', label: 'Attachments per message', type: 'number', help: 'Images (JPEG, PNG, WebP, GIF) and PDF only. 0 turns attachments off.' },
      { key: 'maxAttachmentMb', label: 'Largest attachment (MB)', type: 'number' },
      { key: 'newAccountDays', label: 'An account is new for (days)', type: 'number' },
      { key: 'holdLinksFromNewAccounts', label: 'Hold a first message with links from a new account for review', type: 'checkbox' },
      { key: 'retentionDays', label: 'Delete closed conversations after (days without a message)', type: 'number' },
    ],
  });
  return () => ctx.settings.get<MessagingSettings>();
}

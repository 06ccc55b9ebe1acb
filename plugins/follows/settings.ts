import { z } from 'zod';
import type { PluginContext } from '@agora/core';

export const followsSettingsSchema = z.object({
  /** Events of one shop within this many minutes go out in one email; 0 sends each at once. */
  emailWindowMinutes: z.number({ message: 'Enter a whole number of minutes' }).int('Enter a whole number of minutes').min(0, 'Cannot be negative').max(7 * 24 * 60, 'At most a week (10080 minutes)').default(60),
  /** Followers given their notification per transaction of the fan-out job (and the most a restart repeats). */
  fanoutBatchSize: z.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(10, 'At least 10').max(5000, 'At most 5000').default(500),
  /** Emails sent per pass of the email job before it looks again for what is left. */
  emailBatchSize: z.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(1, 'At least 1').max(1000, 'At most 1000').default(100),
  notificationsPerPage: z.number({ message: 'Enter a whole number' }).int().min(5).max(100).default(20),
});

export type FollowsSettings = z.infer<typeof followsSettingsSchema>;

export function defineFollowsSettings(ctx: PluginContext): () => FollowsSettings {
  ctx.settings.define({
    title: 'Follows',
    schema: followsSettingsSchema,
    fields: [
      { key: 'emailWindowMinutes', label: 'Email window (minutes)', type: 'number', help: 'New products and discounts of one shop within this window are told in one email to each follower. 0 sends each at once.' },
      { key: 'fanoutBatchSize', label: 'Followers per fan-out batch', type: 'number', help: 'How many followers the background job notifies per transaction.' },
      { key: 'emailBatchSize', label: 'Emails per pass', type: 'number' },
      { key: 'notificationsPerPage', label: 'Notifications per page', type: 'number' },
    ],
  });
  return () => ctx.settings.get<FollowsSettings>();
}

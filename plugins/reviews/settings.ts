import { z } from 'zod';
import type { PluginContext } from '@agora/core';

export const reviewsSettingsSchema = z.object({
  /** `hold`: every review waits for a moderator; `trusted`: verified buyers with enough approved reviews go live at once. */
  moderation: z.enum(['hold', 'trusted'], { message: 'Choose how reviews are moderated' }).default('hold'),
  trustedAfter: z.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(1, 'At least 1').max(1000, 'At most 1000').default(3),
  /** One word or phrase per line (or comma separated); a review containing one always waits for a moderator. */
  heldWords: z.string().max(5000, 'At most 5000 characters').default(''),
  perPage: z.number({ message: 'Enter a whole number' }).int().min(1, 'At least 1').max(50, 'At most 50').default(10),
  maxPhotos: z.number({ message: 'Enter a whole number' }).int().min(0, 'Cannot be negative').max(3, 'At most 3').default(3),
  minBodyLength: z.number({ message: 'Enter a whole number' }).int().min(1, 'At least 1').max(500, 'At most 500').default(10),
});

export type ReviewsSettings = z.infer<typeof reviewsSettingsSchema>;

export function defineReviewsSettings(ctx: PluginContext): () => ReviewsSettings {
  ctx.settings.define({
    title: 'Reviews',
    schema: reviewsSettingsSchema,
    fields: [
      {
        key: 'moderation',
        label: 'Moderation',
        type: 'select',
        choices: [
          { value: 'hold', label: 'Hold every review for a moderator' },
          { value: 'trusted', label: 'Publish at once reviews of verified buyers with enough approved reviews' },
        ],
      },
      { key: 'trustedAfter', label: 'Approved reviews a buyer needs to be published at once', type: 'number', help: 'Only with the second moderation choice.' },
      { key: 'heldWords', label: 'Words that always hold a review', type: 'textarea', help: 'One per line or separated by commas; case does not matter. A review with a link is always held too.' },
      { key: 'perPage', label: 'Reviews per page on a product', type: 'number' },
      { key: 'maxPhotos', label: 'Photos per review (0 to 3)', type: 'number' },
      { key: 'minBodyLength', label: 'Shortest review text (characters)', type: 'number' },
    ],
  });
  return () => ctx.settings.get<ReviewsSettings>();
}

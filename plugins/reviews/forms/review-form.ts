import { z } from 'zod';

/** The review form's own fields (photos come as files; other plugins' fields through the form section). */
export function reviewSchema(minBodyLength: number) {
  return z.object({
    rating: z.coerce.number({ message: 'Choose a rating from 1 to 5 stars' }).int('Choose a rating from 1 to 5 stars').min(1, 'Choose a rating from 1 to 5 stars').max(5, 'Choose a rating from 1 to 5 stars'),
    title: z.string({ message: 'Give your review a title' }).trim().min(1, 'Give your review a title').max(120, 'At most 120 characters'),
    body: z
      .string({ message: 'Write your review' })
      .trim()
      .min(minBodyLength, `Write at least ${minBodyLength} characters`)
      .max(5000, 'At most 5000 characters'),
    remove_photo: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(Number).filter((n) => Number.isInteger(n) && n > 0)),
  });
}

export type ReviewForm = z.infer<ReturnType<typeof reviewSchema>>;

/** The fields the page sends besides the section's: anything else is refused as tampering. */
export const REVIEW_FIELDS = new Set(['_csrf', 'rating', 'title', 'body', 'remove_photo', 'item']);

export const replySchema = z.object({
  body: z.string({ message: 'Write your reply' }).trim().min(2, 'Write your reply').max(2000, 'At most 2000 characters'),
});

export const reportSchema = z.object({
  reason: z.enum(['spam', 'offensive', 'off_topic', 'fake', 'private', 'other'], { message: 'Choose why you report this review' }),
  note: z.string().trim().max(500, 'At most 500 characters').optional().default(''),
});

export const moderationSchema = z.object({
  action: z.enum(['approve', 'reject', 'spam', 'keep'], { message: 'Choose an action' }),
  reason: z.string().trim().max(500, 'At most 500 characters').optional().default(''),
  ids: z
    .union([z.string(), z.array(z.string())], { message: 'Choose at least one review' })
    .transform((v) => (Array.isArray(v) ? v : [v]).map(Number).filter((n) => Number.isInteger(n) && n > 0))
    .refine((ids) => ids.length > 0 && ids.length <= 200, 'Choose between 1 and 200 reviews'),
}).refine((v) => v.action !== 'reject' || v.reason.length > 0, { message: 'Say why the review is rejected: the author is told', path: ['reason'] });

export const replyModerationSchema = z.object({
  action: z.enum(['approve', 'reject'], { message: 'Choose an action' }),
  reason: z.string().trim().max(500, 'At most 500 characters').optional().default(''),
});

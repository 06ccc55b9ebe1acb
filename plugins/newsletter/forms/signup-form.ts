import { z } from 'zod';

export const signupEmail = z
  .string({ message: 'Enter your email address' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter your email address')
  .max(320, 'That email address is too long')
  .pipe(z.email('Enter a valid email address, like name@example.com'));

/** The signup form's own fields; extensions of `newsletter.signup` bring theirs. */
export const signupSchema = z.object({
  email: signupEmail,
  /** Which of the two forms was used, kept as the source of consent. */
  source: z.enum(['footer', 'page']).catch('page'),
  /** Left empty by people; a bot that fills every field is answered as usual and nothing is done. */
  website: z.string().max(200).optional(),
});

export const campaignSchema = z.object({
  subject: z.string({ message: 'Write a subject' }).trim().min(1, 'Write a subject').max(200, 'Keep the subject under 200 characters').regex(/^[^\r\n]*$/, 'The subject is one line'),
  // Browsers send a textarea's line breaks as CRLF; kept as LF so paragraphs split the same everywhere.
  body: z
    .string({ message: 'Write the message' })
    .trim()
    .min(1, 'Write the message')
    .max(50_000, 'The message can be at most 50,000 characters')
    .transform((v) => v.replace(/\r\n?/g, '\n')),
});

/** A ticked checkbox sends `on`; an unticked one sends nothing. */
export const checkbox = z
  .enum(['on', '1', 'true'], 'Tick the box or leave it empty')
  .optional()
  .transform((v) => v !== undefined);

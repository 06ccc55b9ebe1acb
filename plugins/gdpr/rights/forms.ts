import { z } from 'zod';
import { EMAIL_KINDS } from './services/kinds';

const text = (max: number) => z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().trim().max(max, `At most ${max} characters`));
const checked = (message: string) => z.preprocess((v) => v === 'on' || v === 'true' || v === '1', z.literal(true, message));

/** A request by email (anyone, signed in or not). */
export const emailRequestForm = z.object({
  kind: z.enum(EMAIL_KINDS, 'Choose what you are asking for'),
  email: text(254).pipe(z.email('Enter your email address, such as name@example.com')),
});

/** Deletion asked from the account: the box says the person knows what it means. */
export const accountErasureForm = z.object({ confirm: checked('Tick the box to confirm that you want your data deleted') });

export const objectionForm = z.object({ confirm: checked('Tick the box to confirm that marketing and profiling should stop') });

export const rejectForm = z.object({ reason: text(2000).pipe(z.string().min(5, 'Give the reason the person will read (at least 5 characters)')) });

export const extendForm = z.object({
  months: z.preprocess((v) => Number(v), z.union([z.literal(1), z.literal(2)], 'Choose one or two months')),
  reason: text(2000).pipe(z.string().min(5, 'Give the reason the person will read (at least 5 characters)')),
});

export const breachForm = z.object({
  title: text(200).pipe(z.string().min(1, 'Say what happened in a few words')),
  description: text(10_000).pipe(z.string().min(1, 'Describe the breach')),
  discovered_at: text(30).pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Enter the date and time it was discovered (UTC), such as 2026-03-01T14:30')
      .transform((v) => new Date(`${v}:00Z`))
      .refine((d) => !Number.isNaN(d.getTime()) && d.getTime() <= Date.now() + 60_000, 'The discovery cannot be in the future'),
  ),
  people_affected: z.preprocess((v) => (v === '' || v === undefined ? undefined : Number(v)), z.number('Enter how many people are affected (a whole number)').int('Enter a whole number').min(0).max(1_000_000_000)),
  data_affected: text(2000).pipe(z.string().min(1, 'Say which personal data is affected')),
  measures: text(10_000).pipe(z.string().min(1, 'Say what was done and what is planned')),
});

export const breachNotifiedForm = z.object({ authority_reference: text(200) });

/** The affected people to email: one address per line (they are emailed, not stored). */
export const breachUsersForm = z.object({
  emails: text(200_000).transform((v, ctx) => {
    const list = [...new Set(v.split(/[\s,;]+/).map((e) => e.trim().toLowerCase()).filter(Boolean))];
    const bad = list.find((e) => !z.email().safeParse(e).success);
    if (bad) ctx.addIssue({ code: 'custom', message: `"${bad}" is not an email address` });
    if (!list.length) ctx.addIssue({ code: 'custom', message: 'Enter at least one address' });
    if (list.length > 10_000) ctx.addIssue({ code: 'custom', message: 'At most 10,000 addresses at once' });
    return list;
  }),
  message: text(5000).pipe(z.string().min(1, 'Write what the people should know and do')),
});

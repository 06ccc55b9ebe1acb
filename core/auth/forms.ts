import { z } from 'zod';
import { isCalendarDate } from './age';
import { MAX_PASSWORD_LENGTH } from './password-policy';

/** Names no one may register: they would pass for the site speaking. */
const RESERVED_USERNAMES = new Set(['admin', 'administrator', 'root', 'system', 'support', 'moderator', 'staff', 'agora', 'account', 'null', 'undefined', 'me']);

const personName = (what: string) => z.string({ message: `Enter your ${what}` }).trim().min(1, `Enter your ${what}`).max(100, `Your ${what} can be at most 100 characters`);

export const displayNameField = z
  .string({ message: 'Enter a display name' })
  .trim()
  .min(2, 'Your display name needs at least 2 characters')
  .max(60, 'Your display name can be at most 60 characters')
  .refine((v) => !/[\p{Cc}\p{Cf}]/u.test(v), 'Your display name cannot contain control characters');

export const emailField = z
  .string({ message: 'Enter your email address' })
  .trim()
  .toLowerCase()
  .max(320, 'That email address is too long')
  .pipe(z.email('Enter a valid email address, like name@example.com'));

export const usernameField = z
  .string({ message: 'Choose a username' })
  .trim()
  .toLowerCase()
  .min(3, 'Your username needs at least 3 characters')
  .max(30, 'Your username can be at most 30 characters')
  .regex(/^[a-z0-9_]+$/, 'Use only letters, digits and _ in your username')
  .refine((v) => !RESERVED_USERNAMES.has(v), 'This username is reserved; choose another');

/** Only the length is checked here; the policy (common passwords, not the username) needs the other fields. */
const newPassword = z.string({ message: 'Choose a password' }).min(1, 'Choose a password').max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters`);
const currentPassword = z.string({ message: 'Enter your current password' }).min(1, 'Enter your current password').max(1000);

/** A ticked checkbox sends `on`; an unticked one sends nothing. */
const checkbox = z
  .enum(['on', '1', 'true'], 'Tick the box or leave it empty')
  .optional()
  .transform((v) => v !== undefined);

export const registerSchema = z.object({
  first_name: personName('first name'),
  last_name: personName('last name'),
  username: usernameField,
  display_name: displayNameField,
  email: emailField,
  password: newPassword,
  birth_date: z
    .string({ message: 'Enter your date of birth' })
    .trim()
    .refine(isCalendarDate, 'Enter your date of birth: the day, the month and the year'),
  guardian_confirmed: checkbox,
  next: z.string().optional(),
});

export const profileSchema = z.object({
  first_name: personName('first name'),
  last_name: personName('last name'),
  display_name: displayNameField,
  email: emailField,
});

export const passwordChangeSchema = z.object({
  current_password: currentPassword,
  new_password: newPassword,
});

export const forgotSchema = z.object({ email: emailField });

export const resetSchema = z.object({ password: newPassword });

export const closeSchema = z.object({
  password: currentPassword,
  confirm: checkbox.refine((v) => v, 'Tick the box to confirm that you want your account and data removed'),
});

/** Form values to show again after a failed submission: never a password. */
export function echo(body: unknown, fields: string[]): Record<string, string> {
  const source = (typeof body === 'object' && body ? body : {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const f of fields) if (typeof source[f] === 'string') out[f] = (source[f] as string).slice(0, 400);
  return out;
}

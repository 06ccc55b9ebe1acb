import type { Platform } from '../platform';
import { signEmailToken, EMAIL_LINK_TTL_MS, createResetToken, RESET_TOKEN_TTL_MS } from './tokens';
import { User } from './user-model';

declare module '../jobs/job-map' {
  interface JobMap {
    /** The password reset mail; `userId` is null when the address has no account (nothing is sent). */
    'core.auth.password_reset_mail': { userId: number | null };
  }
}

export const RESET_MAIL_JOB = 'core.auth.password_reset_mail';

const hours = (ms: number) => Math.round(ms / 3600_000);

/** The link that proves `email` belongs to the user: their address at registration, or the one they are changing to. */
export function verificationUrl(platform: Platform, userId: number, email: string): string {
  return `${platform.config.baseUrl}/verify-email/${signEmailToken(platform.config.sessionSecret, { userId, email })}`;
}

export async function sendVerificationMail(platform: Platform, user: { id: number; display_name: string; email: string }): Promise<void> {
  await platform.mailer.send({
    to: user.email,
    userId: user.id,
    subject: 'Verify your email address',
    template: 'core/mail/verify-email',
    data: { name: user.display_name, url: verificationUrl(platform, user.id, user.email), hours: hours(EMAIL_LINK_TTL_MS) },
  });
}

/** Sent to the new address; the account's email changes only when the link is followed. */
export async function sendEmailChangeMail(platform: Platform, user: { id: number; display_name: string }, newEmail: string): Promise<void> {
  await platform.mailer.send({
    to: newEmail,
    userId: user.id,
    subject: 'Verify your new email address',
    template: 'core/mail/email-change',
    data: { name: user.display_name, url: verificationUrl(platform, user.id, newEmail), hours: hours(EMAIL_LINK_TTL_MS) },
  });
}

/**
 * Sent instead of a link when someone asks to move their account to an address that already has one: the
 * person asking is told the same as always, so the form cannot be used to find out who has an account.
 */
export async function sendEmailInUseMail(platform: Platform, email: string): Promise<void> {
  await platform.mailer.send({ to: email, subject: 'Someone tried to use your email address', template: 'core/mail/email-in-use', data: {} });
}

/**
 * Sent instead of a second account when someone registers with an address that already has one: the person
 * registering is told the same as for a new address, and the owner learns how to get back in.
 */
export async function sendRegisterInUseMail(platform: Platform, email: string): Promise<void> {
  const base = platform.config.baseUrl;
  await platform.mailer.send({
    to: email,
    subject: 'You already have an account',
    template: 'core/mail/register-in-use',
    data: { loginUrl: `${base}/login`, resetUrl: `${base}/password/forgot` },
  });
}

/** Tells the old address that the account moved, so a hijacked account does not go unnoticed. */
export async function sendEmailChangedMail(platform: Platform, oldEmail: string, newEmail: string, userId?: number): Promise<void> {
  // userId: the old address is no longer the account's, so the outbox eraser finds this mail by the account.
  await platform.mailer.send({ to: oldEmail, userId, subject: 'Your email address was changed', template: 'core/mail/email-changed', data: { newEmail } });
}

/**
 * The reset mail is made in a job so that the request answers in the same time whether or not the
 * address has an account. The job gets the user id (or nothing) rather than the address.
 */
export function defineResetMailJob(platform: Platform): () => void {
  return platform.jobs.define(RESET_MAIL_JOB, 'core', async (payload) => {
    const userId = typeof payload.userId === 'number' ? payload.userId : undefined;
    if (!userId) return;
    const user = await User.findByPk(userId);
    if (!user) return;
    const token = await createResetToken(user.id);
    await platform.mailer.send({
      to: user.email,
      userId: user.id,
      subject: 'Reset your password',
      template: 'core/mail/password-reset',
      data: { name: user.display_name, url: `${platform.config.baseUrl}/password/reset/${token}`, minutes: hours(RESET_TOKEN_TTL_MS) * 60 },
    });
  });
}

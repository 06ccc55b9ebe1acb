import express, { type Router } from 'express';
import type { Platform } from '../platform';
import { parseForm } from '../http/validation';
import { accountThrottleKey, type AuthLimits } from './limits';
import { forgotSchema, resetSchema } from './forms';
import { passwordProblem } from './password-policy';
import { hashPassword } from './passwords';
import { User } from './user-model';
import { consumeResetToken, findResetToken } from './tokens';
import { RESET_MAIL_JOB } from './account-mail';
import { toSessionUser } from './passport-setup';

/**
 * `/password/forgot` and `/password/reset/:token`. The forgot form answers the same for every address;
 * a reset link works once, for an hour, and ends every session of the account.
 */
export function passwordResetRoutes(platform: Platform, limits: AuthLimits): Router {
  const router = express.Router();

  router.get('/password/forgot', async (_req, res) => {
    await res.renderPage('core/password-forgot', { title: 'Forgot your password?', sent: false });
  });

  router.post('/password/forgot', limits.passwordReset, async (req, res) => {
    const parsed = parseForm(forgotSchema, req.body);
    if (!parsed.ok) return res.renderPage('core/password-forgot', { title: 'Forgot your password?', sent: false, errors: parsed.errors }, 422);
    const user = await User.findOne({ where: { email: parsed.data.email }, attributes: ['id'] });
    // A job is queued whether or not the address has an account, so both answers take the same work here.
    await platform.jobs.enqueue(RESET_MAIL_JOB, { userId: user?.id ?? null });
    await res.renderPage('core/password-forgot', { title: 'Check your email', sent: true });
  });

  const invalid = (res: express.Response) =>
    res.renderPage('core/password-reset', { title: 'This link does not work', invalid: true }, 400);

  router.get('/password/reset/:token', async (req, res) => {
    const token = await findResetToken(String(req.params.token));
    if (!token) return invalid(res);
    await res.renderPage('core/password-reset', { title: 'Choose a new password', invalid: false, token: req.params.token });
  });

  router.post('/password/reset/:token', limits.passwordReset, async (req, res) => {
    const raw = String(req.params.token);
    const token = await findResetToken(raw);
    const user = token ? await User.findByPk(token.user_id) : null;
    if (!token || !user) return invalid(res);
    const form = { title: 'Choose a new password', invalid: false, token: raw };
    const parsed = parseForm(resetSchema, req.body);
    if (!parsed.ok) return res.renderPage('core/password-reset', { ...form, errors: parsed.errors }, 422);
    const problem = passwordProblem(parsed.data.password, user);
    if (problem) return res.renderPage('core/password-reset', { ...form, errors: { password: problem } }, 422);

    const passwordHash = await hashPassword(parsed.data.password);
    const done = await platform.sequelize.transaction(async (transaction) => {
      const userId = await consumeResetToken(raw, transaction);
      if (userId !== user.id) return false;
      await user.reload({ transaction });
      // Following the emailed link proves the address too.
      await user.update(
        { password_hash: passwordHash, session_version: user.session_version + 1, email_verified_at: user.email_verified_at ?? new Date() },
        { transaction },
      );
      return true;
    });
    if (!done) return invalid(res);
    // Whoever can read the mail is the owner: the waits strangers caused on this account end here.
    await limits.account.succeeded(accountThrottleKey(user.id));
    await platform.hooks.do('core.user.updated', toSessionUser(user), ['password']);
    res.flash('success', 'Your password was changed, and every device where you were logged in was logged out. Log in with your new password.');
    res.redirect(303, '/login');
  });

  return router;
}

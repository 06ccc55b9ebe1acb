import express, { type Router } from 'express';
import { Op, UniqueConstraintError } from 'sequelize';
import type { Platform } from '../platform';
import { readEmailToken } from './tokens';
import { User } from './user-model';
import { toSessionUser } from './passport-setup';
import { sendEmailChangedMail } from './account-mail';
import { logInFresh } from './login-session';
import { afterLogin } from './login-gate';

/**
 * `/verify-email/:token`, the link in verification mail. The token names the account and the address;
 * it verifies the account's address, or, when it is the address the person is changing to, makes the change.
 */
export function verifyEmailRoutes(platform: Platform): Router {
  const router = express.Router();

  const result = (req: express.Request, res: express.Response, status: number, message: string, user?: User) => {
    // This request's user was read before the change; show the page as it is now.
    if (user && req.user?.id === user.id) res.locals.user = req.user = toSessionUser(user);
    return res.renderPage('core/verify-email', { title: status === 200 ? 'Email address verified' : 'This link does not work', ok: status === 200, message }, status);
  };
  const broken = 'This link does not work: it has expired, or a newer one was sent. Log in and ask for a new link from your account page.';

  router.get('/verify-email/:token', async (req, res) => {
    const claim = readEmailToken(platform.config.sessionSecret, String(req.params.token));
    const user = claim ? await User.findByPk(claim.userId) : null;
    if (!claim || !user) return result(req, res, 400, broken);

    if (claim.email === user.email) {
      const firstTime = !user.email_verified_at;
      if (firstTime) {
        await user.update({ email_verified_at: new Date() });
        await platform.hooks.do('core.user.email.verified', toSessionUser(user));
      }
      // Registration does not log anyone in (its answer must not say whether the address was free): the link,
      // opened in the browser that registered, finishes it. Opened anywhere else it only verifies.
      const registration = req.session.registration;
      if (firstTime && !req.user && registration?.userId === user.id) {
        const sessionUser = toSessionUser(user);
        await logInFresh(platform, req, sessionUser);
        const target = await afterLogin(platform, req, sessionUser, registration.next);
        res.flash('success', `Welcome, ${user.display_name}! Your email address ${user.email} is verified.`);
        return res.redirect(303, target);
      }
      return result(req, res, 200, `Thank you: ${user.email} is verified.`, user);
    }

    if (claim.email !== user.pending_email) return result(req, res, 400, broken);
    const inUse = 'This email address already belongs to another account, so your email address was not changed.';
    if (await User.findOne({ where: { email: claim.email, id: { [Op.ne]: user.id } }, attributes: ['id'] })) return result(req, res, 409, inUse);
    const oldEmail = user.email;
    try {
      await user.update({ email: claim.email, pending_email: null, email_verified_at: new Date() });
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
      return result(req, res, 409, inUse);
    }
    const sessionUser = toSessionUser(user);
    await sendEmailChangedMail(platform, oldEmail, user.email, user.id);
    await platform.hooks.do('core.user.updated', sessionUser, ['email', 'pending_email']);
    await platform.hooks.do('core.user.email.verified', sessionUser);
    return result(req, res, 200, `Your email address is now ${user.email}.`, user);
  });

  return router;
}

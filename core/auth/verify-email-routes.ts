import express, { type Router } from 'express';
import { Op, UniqueConstraintError } from 'sequelize';
import type { Platform } from '../platform';
import { readEmailToken } from './tokens';
import { User } from './user-model';
import { toSessionUser } from './passport-setup';
import { sendEmailChangedMail } from './account-mail';

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
      if (!user.email_verified_at) {
        await user.update({ email_verified_at: new Date() });
        await platform.hooks.do('core.user.email.verified', toSessionUser(user));
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
    await sendEmailChangedMail(platform, oldEmail, user.email);
    await platform.hooks.do('core.user.updated', sessionUser, ['email', 'pending_email']);
    await platform.hooks.do('core.user.email.verified', sessionUser);
    return result(req, res, 200, `Your email address is now ${user.email}.`, user);
  });

  return router;
}

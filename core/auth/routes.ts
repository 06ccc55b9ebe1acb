import express, { type Router } from 'express';
import { Op } from 'sequelize';
import { z } from 'zod';
import type { Platform } from '../platform';
import { parseForm } from '../http/validation';
import { SESSION_COOKIE } from '../http/session';
import './hooks';
import { authLimits, accountThrottleKey } from './limits';
import { User } from './user-model';
import { sessionRefOf } from './passport-setup';
import { regenerateSession } from './privilege';
import { registerRoutes } from './register-routes';
import { accountRoutes } from './account-routes';
import { passwordResetRoutes } from './password-reset-routes';
import { verifyEmailRoutes } from './verify-email-routes';
import { defineResetMailJob } from './account-mail';
import { logInFresh, safeNext } from './login-session';
import { afterLogin, loginGateRoutes } from './login-gate';

export { safeNext, logInFresh };

const loginSchema = z.object({
  login: z.string({ message: 'Enter your email or username' }).trim().min(1, 'Enter your email or username').max(320),
  password: z.string({ message: 'Enter your password' }).min(1, 'Enter your password').max(1000),
  next: z.string().optional(),
});

/** Whose failures a login attempt counts against: the account when the name is one, else the name as typed. */
async function throttleKey(login: string): Promise<string> {
  const key = login.trim().toLowerCase();
  const user = await User.findOne({ where: { [Op.or]: [{ email: key }, { username: key }] }, attributes: ['id'] });
  return user ? accountThrottleKey(user.id) : `name:${key}`;
}

/** Everything about who a person is: login, registration, account, email verification, password reset. */
export function authRoutes(platform: Platform): Router {
  const router = express.Router();
  const limits = authLimits(platform);
  defineResetMailJob(platform);

  // A session whose user's role changed since it began (an admin promoted or demoted them) gets a new id
  // on its next request, keeping the person logged in: privilege never rides on an old session id.
  router.use((req, res, next) => {
    const ref = sessionRefOf(req);
    if (!req.user || !ref || ref.r === req.user.role) return next();
    regenerateSession(req).then(() => next(), next);
  });

  router.get('/login', async (req, res) => {
    if (req.user) return res.redirect(safeNext(req.query.next));
    await res.renderPage('core/login', { title: 'Log in', values: { next: safeNext(req.query.next) } });
  });

  router.post('/login', limits.login, async (req, res, next) => {
    const parsed = parseForm(loginSchema, req.body);
    const values = { login: String(req.body?.login ?? '').slice(0, 320), next: safeNext(req.body?.next) };
    if (!parsed.ok) return res.renderPage('core/login', { title: 'Log in', values, errors: parsed.errors }, 422);
    // The account's own count (an unknown name is counted under the name, so the answer is the same for both).
    const account = await throttleKey(parsed.data.login);
    const wait = await limits.account.wait(account);
    if (wait > 0) {
      // The password is not even checked while the account waits: that is what slows guessing down.
      const seconds = Math.ceil(wait / 1000);
      res.setHeader('Retry-After', String(seconds));
      const message = `Too many failed attempts for this account. Wait ${seconds} second${seconds === 1 ? '' : 's'} and try again, or reset your password.`;
      return res.renderPage('core/login', { title: 'Log in', values, errors: { form: message } }, 429);
    }
    platform.passport.authenticate('local', (error: unknown, user: Express.User | false) => {
      if (error) return next(error);
      if (!user) {
        // One message for an unknown account and a wrong password: the form must not reveal which emails exist.
        return void limits.account
          .failed(account)
          .then(() => res.renderPage('core/login', { title: 'Log in', values, errors: { form: 'That email or username and password do not match an account.' } }, 401))
          .catch(next);
      }
      limits.account
        .succeeded(account)
        .then(() => logInFresh(platform, req, user))
        .then(() => afterLogin(platform, req, user, values.next))
        .then((target) => res.redirect(303, target))
        .catch(next);
    })(req, res, next);
  });

  router.post('/logout', (req, res, next) => {
    const userId = req.user?.id;
    req.logout((error) => {
      if (error) return next(error);
      req.session.destroy(() => {
        if (userId) void platform.hooks.do('core.user.logged_out', userId);
        res.clearCookie(SESSION_COOKIE);
        res.redirect(303, '/');
      });
    });
  });

  router.use(loginGateRoutes(platform));
  router.use(registerRoutes(platform, limits));
  router.use(accountRoutes(platform, limits));
  router.use(passwordResetRoutes(platform, limits));
  router.use(verifyEmailRoutes(platform));
  return router;
}

import express, { type Router } from 'express';
import passport from 'passport';
import { z } from 'zod';
import type { Platform } from '../platform';
import { parseForm } from '../http/validation';

declare module '../hooks' {
  interface ActionMap {
    'core.user.logged_in': [user: Express.User, context: { guestSession: Record<string, unknown> }];
    'core.user.logged_out': [userId: number];
  }
}

const loginSchema = z.object({
  login: z.string().trim().min(1, 'Enter your email or username').max(320),
  password: z.string().min(1, 'Enter your password').max(1000),
  next: z.string().optional(),
});

/** A local path to go back to after login; anything else (another host, `//evil`) goes home. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\\]*$/.test(next) ? next : '/';
}

export function authRoutes(platform: Platform): Router {
  const router = express.Router();

  router.get('/login', async (req, res) => {
    if (req.user) return res.redirect(safeNext(req.query.next));
    await res.renderPage('core/login', { title: 'Log in', values: { next: safeNext(req.query.next) } });
  });

  router.post('/login', async (req, res, next) => {
    const parsed = parseForm(loginSchema, req.body);
    const values = { login: String(req.body?.login ?? ''), next: safeNext(req.body?.next) };
    if (!parsed.ok) return res.renderPage('core/login', { title: 'Log in', values, errors: parsed.errors }, 422);
    passport.authenticate('local', (error: unknown, user: Express.User | false) => {
      if (error) return next(error);
      if (!user) {
        // One message for an unknown account and a wrong password: the form must not reveal which emails exist.
        return void res.renderPage('core/login', { title: 'Log in', values, errors: { form: 'That email or username and password do not match an account.' } }, 401).catch(next);
      }
      const guestSession = { ...req.session } as Record<string, unknown>;
      // passport regenerates the session on login, so a session id fixed before login is worthless after it.
      req.logIn(user, (loginError) => {
        if (loginError) return next(loginError);
        platform.hooks
          .do('core.user.logged_in', user, { guestSession })
          .then(() => res.redirect(303, values.next))
          .catch(next);
      });
    })(req, res, next);
  });

  router.post('/logout', (req, res, next) => {
    const userId = req.user?.id;
    req.logout((error) => {
      if (error) return next(error);
      req.session.destroy(() => {
        if (userId) void platform.hooks.do('core.user.logged_out', userId);
        res.clearCookie('agora.sid');
        res.redirect(303, '/');
      });
    });
  });

  return router;
}

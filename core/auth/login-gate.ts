import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { Platform } from '../platform';
import type { PluginManager } from '../plugins/plugin-manager';
import type { FieldErrors } from '../http/validation';

declare module 'express-session' {
  interface SessionData {
    /** Set at login when an extension of `core.login.after` applies: the person must pass the gate first. */
    loginGate?: { next: string };
  }
}

export const LOGIN_GATE_PATH = '/login/continue';

/** The gate's own form has no field of its own; `next` is kept in the session, not in the form. */
const gateSchema = z.object({});

/**
 * After a successful login: when any extension of the `core.login.after` section applies to this person
 * (gdpr's re-consent to a changed policy), the gate holds them at `/login/continue` until its form is sent.
 * Returns where to send the person now.
 */
export async function afterLogin(platform: Platform, req: express.Request, user: Express.User, next: string): Promise<string> {
  if (!(await platform.forms.applies('core.login.after', { req, context: { user } }))) return next;
  req.session.loginGate = { next };
  return LOGIN_GATE_PATH;
}

/**
 * Holds a person who has not passed the login gate yet: every page but the gate itself and logging out sends
 * them back to it. Mounted before every route of core and of the plugins.
 */
export function holdLoginGate(plugins: Pick<PluginManager, 'get' | 'isActive'>): RequestHandler {
  return (req, res, next) => {
    const gate = req.session?.loginGate;
    if (!gate) return next();
    if (!req.user) {
      // Logged out (or the session's user is gone): nobody is held any more.
      delete req.session.loginGate;
      return next();
    }
    if (req.path === LOGIN_GATE_PATH || (req.path === '/logout' && req.method === 'POST')) return next();
    // Plugins' public files (scripts and styles the gate page itself may load) are served behind this; only
    // those, not the plugins' own routes under /plugins/<name>/.
    if ((req.method === 'GET' || req.method === 'HEAD') && isPluginPublicFile(plugins, req.path)) return next();
    res.redirect(303, LOGIN_GATE_PATH);
  };
}

/** Whether `urlPath` (`/plugins/<name>/<file>`) names a file inside an active plugin's public folder. */
export function isPluginPublicFile(plugins: Pick<PluginManager, 'get' | 'isActive'>, urlPath: string): boolean {
  const match = /^\/plugins\/([^/]+)\/(.+)$/.exec(urlPath);
  if (!match) return false;
  const [, name, rest] = match;
  const record = plugins.isActive(name) ? plugins.get(name) : undefined;
  if (!record) return false;
  let relative: string;
  try {
    relative = decodeURIComponent(rest);
  } catch {
    return false;
  }
  const root = path.join(record.dir, 'public');
  const file = path.resolve(root, relative);
  // The static handler refuses to leave the folder; so does this check (`..`, an encoded slash).
  if (!file.startsWith(root + path.sep)) return false;
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `/login/continue`: the fields of `core.login.after`, validated and committed in one transaction. */
export function loginGateRoutes(platform: Platform): Router {
  const router = express.Router();

  const page = async (req: express.Request, res: express.Response, user: Express.User, errors: FieldErrors = {}, status = 200) => {
    const formSections = await platform.forms.render('core.login.after', { req, context: { user }, body: req.method === 'POST' ? req.body : undefined, errors });
    await res.renderPage('core/login-continue', { title: 'Before you go on', errors, formSections }, status);
  };

  router.get(LOGIN_GATE_PATH, async (req, res) => {
    const gate = req.session.loginGate;
    if (!req.user) return res.redirect('/login');
    if (!gate) return res.redirect('/');
    // The plugin that asked may have been deactivated since, or the person already answered elsewhere.
    if (!(await platform.forms.applies('core.login.after', { req, context: { user: req.user } }))) {
      delete req.session.loginGate;
      return res.redirect(gate.next);
    }
    await page(req, res, req.user);
  });

  router.post(LOGIN_GATE_PATH, async (req, res) => {
    const gate = req.session.loginGate;
    const user = req.user;
    if (!user) return res.redirect(303, '/login');
    if (!gate) return res.redirect(303, '/');
    const scope = { req, context: { user } };
    const parsed = await platform.forms.parse('core.login.after', gateSchema, req.body, scope);
    if (!parsed.ok) return page(req, res, user, parsed.errors, 422);
    try {
      await platform.sequelize.transaction((transaction) => platform.forms.commit('core.login.after', transaction, parsed.sections, req, { user }));
    } catch (error) {
      const refused = platform.forms.refusal(error);
      if (!refused) throw error;
      return page(req, res, user, refused, 422);
    }
    delete req.session.loginGate;
    res.redirect(303, gate.next);
  });

  return router;
}

import express, { type Router } from 'express';
import { Op } from 'sequelize';
import type { Platform } from '../platform';
import { requireUser } from '../http/guards';
import { parseForm, type FieldErrors } from '../http/validation';
import { SESSION_COOKIE } from '../http/session';
import type { AuthLimits } from './limits';
import { closeSchema, echo, passwordChangeSchema, profileSchema } from './forms';
import { passwordProblem } from './password-policy';
import { hashPassword, verifyPassword } from './passwords';
import { User } from './user-model';
import { toSessionUser } from './passport-setup';
import { regenerateSession } from './privilege';
import { sendEmailChangeMail, sendEmailInUseMail, sendVerificationMail } from './account-mail';

const PROFILE_FIELDS = ['first_name', 'last_name', 'display_name'] as const;

/**
 * The link to a new address, or, when that address already has an account, a notice to it instead: the
 * person asking sees the same either way, so the form cannot be used to find out who has an account.
 */
async function sendEmailChange(platform: Platform, user: User, email: string): Promise<void> {
  const owner = await User.findOne({ where: { email, id: { [Op.ne]: user.id } }, attributes: ['id'] });
  await (owner ? sendEmailInUseMail(platform, email) : sendEmailChangeMail(platform, user, email));
}

/**
 * `/account`: the logged-in person's own account, and only theirs. No route here takes a user id: whom a
 * request changes is always `req.user`, so editing an id in a form or URL cannot reach anyone else.
 */
export function accountRoutes(platform: Platform, limits: AuthLimits): Router {
  const router = express.Router();
  router.use('/account', requireUser);

  const me = async (req: express.Request): Promise<User> => {
    const user = await User.findByPk(req.user!.id);
    // The session outlived the account (closed elsewhere): nobody is logged in any more.
    if (!user) throw new Error('The account of this session no longer exists');
    return user;
  };

  /**
   * The account page. `body` is the profile form as submitted when it is shown again: the fields other plugins
   * add to it (form section `core.account.profile`) show what was typed, and their messages.
   */
  const accountPage = async (req: express.Request, res: express.Response, user: User, values?: Record<string, unknown>, errors: FieldErrors = {}, status = 200, body?: unknown) => {
    const formSections = await platform.forms.render('core.account.profile', { req, context: { user: toSessionUser(user) }, body, errors });
    const { username, email, pending_email, email_verified_at, birth_date, guardian_confirmed, created_at, role } = user;
    const profile = { first_name: user.first_name, last_name: user.last_name, display_name: user.display_name, email };
    await res.renderPage(
      'core/account',
      { title: 'Your account', account: { username, email, pending_email, email_verified_at, birth_date, guardian_confirmed, created_at, role }, values: { ...profile, ...values }, errors, formSections },
      status,
    );
  };

  router.get('/account', async (req, res) => {
    await accountPage(req, res, await me(req));
  });

  router.post('/account', async (req, res) => {
    const user = await me(req);
    const scope = { req, context: { user: toSessionUser(user) } };
    const again = (errors: FieldErrors) => accountPage(req, res, user, echo(req.body, [...PROFILE_FIELDS, 'email']), errors, 422, req.body);
    const parsed = await platform.forms.parse('core.account.profile', profileSchema, req.body, scope);
    if (!parsed.ok) return again(parsed.errors);
    const { data: input, sections } = parsed;

    const changes: Partial<Pick<User, 'first_name' | 'last_name' | 'display_name' | 'pending_email'>> = {};
    for (const field of PROFILE_FIELDS) if (input[field] !== user[field]) changes[field] = input[field];
    let emailMessage: string | undefined;
    let mail: (() => Promise<void>) | undefined;
    if (input.email === user.email) {
      if (user.pending_email) changes.pending_email = null;
    } else {
      // Sending the pending address again sends its link again. An address that has an account is kept as
      // pending too, so the page looks the same either way; it can never be confirmed (see verify-email-routes).
      if (input.email !== user.pending_email) changes.pending_email = input.email;
      mail = () => sendEmailChange(platform, user, input.email);
      emailMessage = `We sent a link to ${input.email}. Your email address changes when you open it.`;
    }

    const fields = Object.keys(changes);
    try {
      // The profile and what the extensions keep with it are saved together or not at all.
      await platform.sequelize.transaction(async (transaction) => {
        if (fields.length) await user.update(changes, { transaction });
        await platform.forms.commit('core.account.profile', transaction, sections, req, { user: toSessionUser(user), changed: fields });
      });
    } catch (error) {
      const refused = platform.forms.refusal(error);
      if (!refused) throw error;
      // The instance holds the changes the rollback undid: show the account as it is stored.
      await user.reload();
      return again(refused);
    }
    if (mail) await mail();
    if (fields.length) await platform.hooks.do('core.user.updated', toSessionUser(user), fields);
    res.flash('success', emailMessage ?? (fields.length || sections.size ? 'Your account was updated.' : 'Nothing to change.'));
    res.redirect(303, '/account');
  });

  router.post('/account/password', limits.currentPassword, async (req, res) => {
    const user = await me(req);
    const parsed = parseForm(passwordChangeSchema, req.body);
    if (!parsed.ok) return accountPage(req, res, user, {}, parsed.errors, 422);
    if (!(await verifyPassword(parsed.data.current_password, user.password_hash))) {
      return accountPage(req, res, user, {}, { current_password: 'That is not your current password.' }, 422);
    }
    const problem = passwordProblem(parsed.data.new_password, user);
    if (problem) return accountPage(req, res, user, {}, { new_password: problem }, 422);
    // A new session version ends every other session of this account; this one is logged in again under it.
    await user.update({ password_hash: await hashPassword(parsed.data.new_password), session_version: user.session_version + 1 });
    await regenerateSession(req);
    await platform.hooks.do('core.user.updated', toSessionUser(user), ['password']);
    res.flash('success', 'Your password was changed. Any other device where you were logged in has been logged out.');
    res.redirect(303, '/account');
  });

  router.post('/account/verify/resend', limits.mail, async (req, res) => {
    const user = await me(req);
    if (user.pending_email) {
      await sendEmailChange(platform, user, user.pending_email);
      res.flash('success', `We sent a new link to ${user.pending_email}.`);
    } else if (!user.email_verified_at) {
      await sendVerificationMail(platform, user);
      res.flash('success', `We sent a new link to ${user.email}.`);
    } else {
      res.flash('info', 'Your email address is already verified.');
    }
    res.redirect(303, '/account');
  });

  const closeForm = (res: express.Response, errors: FieldErrors = {}, status = 200) =>
    res.renderPage('core/account-close', { title: 'Close your account', errors, erasers: platform.privacy.listErasers().map((e) => e.owner) }, status);

  router.get('/account/close', async (_req, res) => closeForm(res));

  router.post('/account/close', limits.currentPassword, async (req, res) => {
    const user = await me(req);
    const parsed = parseForm(closeSchema, req.body);
    if (!parsed.ok) return closeForm(res, parsed.errors, 422);
    if (!(await verifyPassword(parsed.data.password, user.password_hash))) return closeForm(res, { password: 'That is not your password.' }, 422);

    const { id: userId, email } = user;
    const result = await platform.privacy.erasePerson({ email, userId });
    const closed = !(await User.findByPk(userId, { attributes: ['id'] }));
    if (closed) {
      await platform.hooks.do('core.user.deleted', userId, email);
      await new Promise<void>((resolve, reject) => req.logout((error) => (error ? reject(error) : resolve())));
      await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
      res.clearCookie(SESSION_COOKIE);
      res.locals.user = undefined;
    }
    await res.renderPage('core/account-closed', { title: closed ? 'Your account is closed' : 'Your account could not be closed', result, closed });
  });

  return router;
}

import express, { type Router } from 'express';
import { UniqueConstraintError } from 'sequelize';
import type { Platform } from '../platform';
import type { FieldErrors } from '../http/validation';
import type { AuthLimits } from './limits';
import { registerSchema, echo } from './forms';
import { ageBand, ageOn, type AgeRule } from './age';
import { registrationProblems } from './register-checks';
import { hashPassword } from './passwords';
import { User } from './user-model';
import { toSessionUser } from './passport-setup';
import { sendRegisterInUseMail, sendVerificationMail } from './account-mail';
import { safeNext } from './login-session';

declare module 'express-session' {
  interface SessionData {
    /**
     * Set by every accepted registration form, whether or not it made an account: the address the "check your
     * email" page names, where to go after, and (only when an account was made) which account this browser
     * made, so that its verification link, opened here, logs the person in.
     */
    registration?: { email: string; next: string; userId?: number };
  }
}

export const REGISTER_SENT_PATH = '/register/sent';

const ECHOED = ['first_name', 'last_name', 'username', 'display_name', 'email', 'birth_date', 'guardian_confirmed', 'next'];

/**
 * `/register`: the age rule, the password policy, then a mail either way. An address that already has an
 * account gets a notice instead of a second account, and the person registering sees the same answer as for
 * a new address (as the email-change form does), so the form cannot tell anyone who has an account.
 */
export function registerRoutes(platform: Platform, limits: AuthLimits): Router {
  const router = express.Router();
  const ageRule = () => platform.settings.get<AgeRule>('core');
  // The fields other plugins add (form section `core.register`) render right before the submit button.
  const form = async (req: express.Request, res: express.Response, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) => {
    const formSections = await platform.forms.render('core.register', { req, context: {}, body: req.method === 'POST' ? req.body : undefined, errors });
    await res.renderPage('core/register', { title: 'Create an account', values, errors, age: ageRule(), formSections }, status);
  };

  router.get('/register', async (req, res) => {
    if (req.user) return res.redirect('/account');
    await form(req, res, { next: safeNext(req.query.next, '/account') });
  });

  router.get(REGISTER_SENT_PATH, async (req, res) => {
    const registration = req.session.registration;
    if (!registration) return res.redirect('/register');
    await res.renderPage('core/register-sent', { title: 'Check your email', email: registration.email });
  });

  router.post('/register', limits.register, async (req, res) => {
    const values = echo(req.body, ECHOED);
    // The rule is read now, so a change in the settings applies to the next registration.
    const rule = ageRule();
    // The owner's fields and every extension's are checked together, and the password and age rules run on
    // what was typed even when other fields were refused: every message shows after one submission.
    const parsed = await platform.forms.parse('core.register', registerSchema, req.body, { req, context: {} });
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!parsed.ok) return form(req, res, values, { ...parsed.errors, ...registrationProblems(body, rule, parsed.errors) }, 422);
    const { data: input, sections } = parsed;
    const errors = registrationProblems(input, rule);
    if (await User.findOne({ where: { username: input.username }, attributes: ['id'] })) errors.username = 'This username is taken; choose another.';
    if (Object.keys(errors).length) return form(req, res, values, errors, 422);

    const next = safeNext(input.next, '/account');
    // Hashed before anything else, whether or not the address is free, so both answers cost the same; and
    // before the transaction, because on SQLite transactions take turns and hashing is the slow part.
    const passwordHash = await hashPassword(input.password);
    const answer = (userId?: number) => {
      req.session.registration = { email: input.email, next, userId };
      res.redirect(303, REGISTER_SENT_PATH);
    };
    const addressTaken = async () => {
      await sendRegisterInUseMail(platform, input.email);
      answer();
    };
    if (await User.findOne({ where: { email: input.email }, attributes: ['id'] })) return addressTaken();

    let user: User;
    try {
      // The user row and what every extension keeps (consent, a referral) are written together or not at all.
      user = await platform.sequelize.transaction(async (transaction) => {
        const created = await User.create(
          {
            username: input.username,
            email: input.email,
            first_name: input.first_name,
            last_name: input.last_name,
            display_name: input.display_name,
            password_hash: passwordHash,
            birth_date: input.birth_date,
            guardian_confirmed: ageBand(ageOn(input.birth_date), rule) === 'guardian',
            role: 'customer',
            email_verified_at: null,
          },
          { transaction },
        );
        await platform.forms.commit('core.register', transaction, sections, req, { user: toSessionUser(created) });
        return created;
      });
    } catch (error) {
      const refused = platform.forms.refusal(error);
      if (refused) return form(req, res, values, refused, 422);
      if (!(error instanceof UniqueConstraintError)) throw error;
      // Someone took the name or the address between the check and the insert.
      if (await User.findOne({ where: { email: input.email }, attributes: ['id'] })) return addressTaken();
      return form(req, res, values, { username: 'This username was just taken; choose another.' }, 422);
    }

    await sendVerificationMail(platform, user);
    await platform.hooks.do('core.user.registered', toSessionUser(user));
    answer(user.id);
  });

  return router;
}

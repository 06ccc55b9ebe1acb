import express, { type Router } from 'express';
import { Op, UniqueConstraintError } from 'sequelize';
import type { Platform } from '../platform';
import { parseForm, type FieldErrors } from '../http/validation';
import type { AuthLimits } from './limits';
import { registerSchema, echo } from './forms';
import { ageBand, ageOn, type AgeRule } from './age';
import { passwordProblem } from './password-policy';
import { hashPassword } from './passwords';
import { User } from './user-model';
import { toSessionUser } from './passport-setup';
import { sendVerificationMail } from './account-mail';
import { logInFresh, safeNext } from './login-session';

const ECHOED = ['first_name', 'last_name', 'username', 'display_name', 'email', 'birth_date', 'guardian_confirmed', 'next'];

/** `/register`: the age rule, the password policy, a verification mail, and the person logged in. */
export function registerRoutes(platform: Platform, limits: AuthLimits): Router {
  const router = express.Router();
  const ageRule = () => platform.settings.get<AgeRule>('core');
  const form = (res: express.Response, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) =>
    res.renderPage('core/register', { title: 'Create an account', values, errors, age: ageRule() }, status);

  router.get('/register', async (req, res) => {
    if (req.user) return res.redirect('/account');
    await form(res, { next: safeNext(req.query.next, '/account') });
  });

  router.post('/register', limits.register, async (req, res) => {
    const values = echo(req.body, ECHOED);
    const parsed = parseForm(registerSchema, req.body);
    if (!parsed.ok) return form(res, values, parsed.errors, 422);
    const input = parsed.data;
    const errors: FieldErrors = {};

    const problem = passwordProblem(input.password, { username: input.username, email: input.email });
    if (problem) errors.password = problem;

    // The rule is read now, so a change in the settings applies to the next registration.
    const rule = ageRule();
    const band = ageBand(ageOn(input.birth_date), rule);
    if (ageOn(input.birth_date) > 130 || new Date(`${input.birth_date}T00:00:00Z`) > new Date()) errors.birth_date = 'Enter your real date of birth';
    else if (band === 'too_young') errors.birth_date = `You must be at least ${rule.minimumAge} years old to open an account.`;
    else if (band === 'guardian' && !input.guardian_confirmed) {
      errors.guardian_confirmed = `Under ${rule.adultAge}, a parent or guardian must hold the account: tick the statement to confirm that they do and that they supervise it.`;
    }

    const taken = await User.findAll({ where: { [Op.or]: [{ username: input.username }, { email: input.email }] }, attributes: ['username', 'email'] });
    if (taken.some((u) => u.username === input.username)) errors.username = 'This username is taken; choose another.';
    if (taken.some((u) => u.email === input.email)) errors.email = 'An account with this email address already exists. Log in, or reset your password if you forgot it.';
    if (Object.keys(errors).length) return form(res, values, errors, 422);

    let user: User;
    try {
      user = await User.create({
        username: input.username,
        email: input.email,
        first_name: input.first_name,
        last_name: input.last_name,
        display_name: input.display_name,
        password_hash: await hashPassword(input.password),
        birth_date: input.birth_date,
        guardian_confirmed: band === 'guardian',
        role: 'customer',
        email_verified_at: null,
      });
    } catch (error) {
      // Someone took the name or address between the check and the insert.
      if (!(error instanceof UniqueConstraintError)) throw error;
      return form(res, values, { form: 'This username or email address was just taken. Please choose another.' }, 422);
    }

    const sessionUser = toSessionUser(user);
    await sendVerificationMail(platform, user);
    await platform.hooks.do('core.user.registered', sessionUser);
    await logInFresh(platform, req, sessionUser);
    res.flash('success', `Welcome, ${user.display_name}! We sent a link to ${user.email}: open it to verify your email address.`);
    res.redirect(303, safeNext(input.next, '/account'));
  });

  return router;
}

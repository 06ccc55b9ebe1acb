import express, { type Router } from 'express';
import { Op, UniqueConstraintError } from 'sequelize';
import type { Platform } from '../platform';
import type { FieldErrors } from '../http/validation';
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
  // The fields other plugins add (form section `core.register`) render right before the submit button.
  const form = async (req: express.Request, res: express.Response, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) => {
    const formSections = await platform.forms.render('core.register', { req, context: {}, body: req.method === 'POST' ? req.body : undefined, errors });
    await res.renderPage('core/register', { title: 'Create an account', values, errors, age: ageRule(), formSections }, status);
  };

  router.get('/register', async (req, res) => {
    if (req.user) return res.redirect('/account');
    await form(req, res, { next: safeNext(req.query.next, '/account') });
  });

  router.post('/register', limits.register, async (req, res) => {
    const values = echo(req.body, ECHOED);
    // The owner's fields and every extension's are checked together, so all messages show at once.
    const parsed = await platform.forms.parse('core.register', registerSchema, req.body, { req, context: {} });
    if (!parsed.ok) return form(req, res, values, parsed.errors, 422);
    const { data: input, sections } = parsed;
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
    if (Object.keys(errors).length) return form(req, res, values, errors, 422);

    // Hashed before the transaction: on SQLite transactions take turns, and hashing is the slow part.
    const passwordHash = await hashPassword(input.password);
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
            guardian_confirmed: band === 'guardian',
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
      // Someone took the name or address between the check and the insert.
      if (!(error instanceof UniqueConstraintError)) throw error;
      return form(req, res, values, { form: 'This username or email address was just taken. Please choose another.' }, 422);
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

import type { FieldErrors } from '../http/validation';
import { ageBand, ageOn, isCalendarDate, type AgeRule } from './age';
import { passwordProblem } from './password-policy';

/** What the registration form sent, as far as these checks can read it (the schema may have refused it). */
export interface RegistrationDraft {
  password?: unknown;
  username?: unknown;
  email?: unknown;
  birth_date?: unknown;
  guardian_confirmed?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : undefined);

/**
 * The password policy and the age rule, which need more than one field. They run on what was typed even
 * when the schema refused other fields, so a person sees every problem after one submission instead of
 * learning about the password only once everything else is right. A field the schema already refused keeps
 * its own message (`known`).
 */
export function registrationProblems(draft: RegistrationDraft, rule: AgeRule, known: FieldErrors = {}, today = new Date()): FieldErrors {
  const errors: FieldErrors = {};
  if (!known.password && typeof draft.password === 'string' && draft.password) {
    const problem = passwordProblem(draft.password, { username: text(draft.username), email: text(draft.email) });
    if (problem) errors.password = problem;
  }
  const birthDate = typeof draft.birth_date === 'string' ? draft.birth_date.trim() : '';
  if (!known.birth_date && isCalendarDate(birthDate)) {
    const age = ageOn(birthDate, today);
    const band = ageBand(age, rule);
    const ticked = draft.guardian_confirmed === true || draft.guardian_confirmed === 'on' || draft.guardian_confirmed === '1' || draft.guardian_confirmed === 'true';
    if (age > 130 || new Date(`${birthDate}T00:00:00Z`) > today) errors.birth_date = 'Enter your real date of birth.';
    else if (band === 'too_young') errors.birth_date = `You must be at least ${rule.minimumAge} years old to open an account.`;
    else if (band === 'guardian' && !ticked && !known.guardian_confirmed) {
      errors.guardian_confirmed = `Under ${rule.adultAge}, a parent or guardian must hold the account: tick the statement to confirm that they do and that they supervise it.`;
    }
  }
  return errors;
}

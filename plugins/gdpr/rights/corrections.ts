import type { RightsDeps } from './services/deps';
import { requestFromAccount } from './services/requests';

const FIELD_NAMES: Record<string, string> = {
  first_name: 'first name',
  last_name: 'last name',
  display_name: 'display name',
  email: 'email address',
  pending_email: 'email address (waiting for confirmation)',
  username: 'username',
  password_hash: 'password',
  // What core's account page reports when the password is changed (core.user.updated names 'password').
  password: 'password',
  birth_date: 'date of birth',
};

const ADDRESS_FIELDS: Record<string, string> = { name: 'name', line1: 'street', line2: 'street (second line)', city: 'town', postcode: 'postcode', country: 'country', phone: 'phone' };

/**
 * Corrections (Art. 16) are made where the data lives (the account page, the address book); each one the
 * account or a plugin reports is logged in the register as a completed correction, naming the fields, never the
 * values. Issued invoices are not rewritten: they are snapshots, and a correction applies to what comes next.
 */
export function logCorrections(deps: RightsDeps): void {
  deps.ctx.hooks.on('core.user.updated', async (user, changed) => {
    const fields = changed.filter((f) => f in FIELD_NAMES);
    if (!fields.length) return;
    await requestFromAccount(deps, { id: user.id, email: user.email }, 'correction', `Corrected from the account: ${fields.map((f) => FIELD_NAMES[f]).join(', ')}`);
  });
  deps.ctx.hooks.on('core.personal_data.corrected', async (person, correction) => {
    const names = correction.fields.map((f) => ADDRESS_FIELDS[f] ?? f.replace(/_/g, ' '));
    await requestFromAccount(deps, { id: person.userId, email: person.email }, 'correction', `Corrected ${correction.what}: ${names.join(', ')}`);
  });
}

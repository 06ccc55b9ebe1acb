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
  birth_date: 'date of birth',
};

/**
 * Corrections (Art. 16) are made where the data lives (the account page, the address book); each one the
 * account reports is logged in the register as a completed correction, naming the fields, never the values.
 */
export function logCorrections(deps: RightsDeps): void {
  deps.ctx.hooks.on('core.user.updated', async (user, changed) => {
    const fields = changed.filter((f) => f in FIELD_NAMES);
    if (!fields.length) return;
    await requestFromAccount(deps, { id: user.id, email: user.email }, 'correction', `Corrected from the account: ${fields.map((f) => FIELD_NAMES[f]).join(', ')}`);
  });
}

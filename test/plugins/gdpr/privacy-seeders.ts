import type { Seeder } from '../../helpers/privacy-seeder';
import { consentServiceOf } from '../../../plugins/gdpr/consent/setup';
import { RightsRequest } from '../../../plugins/gdpr/rights/models/rights-request';

/** The gdpr plugin's personal columns, seeded for the privacy canary test (test/core/privacy-canary.test.ts). */
export const seeders: Record<string, Seeder> = {
  // Through the register itself, so the row is chained like any other.
  async GdprConsentIdentity(_t, person, c) {
    await consentServiceOf().record(
      [{ action: 'accepted', section: 'core.register', policy: { slug: 'terms', version: 1, textHash: 'a'.repeat(64) }, required: true }],
      { userId: person.userId, email: c.use('GdprConsentIdentity', 'email', person.email), displayName: c.for('GdprConsentIdentity', 'display_name') },
      { ip: c.for('GdprConsentIdentity', 'ip'), userAgentHash: null, consentId: c.for('GdprConsentIdentity', 'consent_id') },
    );
  },
  // Part 2: a rights request of the person (found by their account; the address is what the eraser shreds).
  async RightsRequest(_t, person, c) {
    await RightsRequest.create({
      kind: 'access',
      email: c.use('RightsRequest', 'email', person.email),
      email_hash: 'seeded',
      user_id: person.userId,
      source: 'account',
      status: 'completed',
      received_at: new Date(),
    });
  },
};

import type { PluginContext } from '@agora/core';
import type { ConsentService } from './service';
import { sectionLabel } from './section-labels';

const covers = { GdprConsentIdentity: ['email', 'display_name', 'ip', 'consent_id'] };

/**
 * The consent register in the privacy registry: the person's consent history in every export; on erasure their
 * identity is shredded and the rows stay (the proof that consent was given, without saying by whom), so the
 * chain still verifies.
 */
export function registerConsentPrivacy(ctx: PluginContext, service: ConsentService): void {
  ctx.privacy.exporter({
    name: 'consents',
    covers,
    async exportPage(person) {
      const rows = await service.historyOf({ userId: person.userId, email: person.email });
      return {
        items: rows.map((r) => ({
          group: 'Consent history',
          id: r.receipt,
          data: {
            action: r.action,
            policy: r.policySlug || null,
            version: r.policyVersion || null,
            text_sha256: r.textHash || null,
            cookie_categories: r.categories,
            required: r.required,
            form: sectionLabel(r.section),
            section: r.section,
            recorded_at: r.recordedAt,
            previous_at: r.previousAt || null,
            email: r.email,
            display_name: r.displayName,
            ip: r.ip,
            consent_id: r.consentId,
          },
        })),
        done: true,
      };
    },
  });
  ctx.privacy.eraser({
    name: 'consents',
    covers,
    async erasePage(person) {
      const n = await service.shred({ userId: person.userId, email: person.email });
      return {
        removed: [],
        anonymized: n ? [`your identity in ${n} consent register ${n === 1 ? 'row' : 'rows'} (the rows stay as proof, without your name, email or IP)`] : [],
        retained: [],
        done: true,
      };
    },
  });
  ctx.privacy.processing({
    data: ['email address', 'display name', 'IP address (truncated by default)', 'a hash of the browser’s user agent', 'a random consent id'],
    purpose: 'Prove which policies and cookie categories each person accepted or withdrew, and when (the consent register)',
    legalBasis: 'legal_obligation',
    recipients: [],
    retention: 'as long as the consent is relied on and the limitation period after it; erased on request (the identity is shredded)',
  });
}

import type { Request } from 'express';
import { z } from 'zod';
import { fragment, FormSectionError, type DeclaredSection, type FieldErrors, type FormExtension, type FormSectionName } from '@agora/core';
import { sectionPolicies, type CurrentPolicy } from './policies';
import type { SectionPolicy } from './models';
import type { ConsentPerson, ConsentService } from './service';
import { CONSENT_COOKIE, decodeChoice } from './cookies/consent-cookie';

type Shown = Array<{ link: SectionPolicy } & CurrentPolicy>;

const toList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

export const boxesSchema = z.object({
  gdpr_accept: z.preprocess(toList, z.array(z.string().max(20)).max(50)).optional(),
  gdpr_shown: z.string().max(1000).optional(),
});
type BoxesData = z.infer<typeof boxesSchema>;

/** What the page showed: `policyId:version` pairs, so the register names the text the person saw. */
function shownVersions(value: string | undefined): Map<number, number> {
  const out = new Map<number, number>();
  for (const pair of (value ?? '').split(',')) {
    const [id, version] = pair.split(':').map(Number);
    if (Number.isInteger(id) && Number.isInteger(version)) out.set(id, version);
  }
  return out;
}

/**
 * The person a form section's commit is about, from what the owner tells it (a new user, an order's email) or,
 * failing that, the logged-in person or the form's `email` field.
 */
export function personOf(context: unknown, req: Request): ConsentPerson {
  const c = (context && typeof context === 'object' ? context : {}) as Record<string, unknown>;
  const user = (c.user && typeof c.user === 'object' ? c.user : req.user) as Express.User | undefined;
  const email = typeof c.email === 'string' ? c.email : (user?.email ?? (typeof req.body?.email === 'string' ? (req.body.email as string) : null));
  const userId = typeof c.userId === 'number' ? c.userId : (user?.id ?? null);
  return { userId, email, displayName: user?.display_name ?? null };
}

export function consentIdOf(req: Request, secret: string): string | null {
  const jar = (req as Request & { cookies?: Record<string, unknown> }).cookies ?? {};
  return decodeChoice(secret, jar[CONSENT_COOKIE])?.id ?? null;
}

/**
 * The consent boxes of one section: the policies the admin chose for it, each unticked, required ones as
 * acknowledgements ("I have read and accept"), optional ones as consents the form works without. What is
 * ticked is written to the register inside the owner's transaction.
 */
export function sectionBoxes(section: DeclaredSection, service: ConsentService, secret: string): FormExtension<FormSectionName, typeof boxesSchema> {
  const idPart = section.name.replace(/[^a-z0-9]+/g, '-');
  const loaded = new WeakMap<Request, Shown>();
  const load = async (req: Request): Promise<Shown> => {
    const known = loaded.get(req);
    if (known) return known;
    const shown = await sectionPolicies(section.name);
    loaded.set(req, shown);
    return shown;
  };
  const missing = (shown: Shown, data: BoxesData): FieldErrors => {
    const ticked = new Set(data.gdpr_accept ?? []);
    const errors: FieldErrors = {};
    for (const item of shown) {
      if (item.link.required && !ticked.has(String(item.policy.id))) errors[`gdpr_accept.${item.policy.id}`] = `Tick the box to accept the ${item.policy.title}.`;
    }
    return errors;
  };

  return {
    fields: ['gdpr_accept', 'gdpr_shown'],
    schema: boxesSchema,
    priority: 90,
    applies: async (_context, req) => (await load(req)).length > 0,
    async render({ values, errors, submitted, req }) {
      const shown = await load(req);
      const ticked = new Set(submitted ? toList((req.body as Record<string, unknown> | undefined)?.gdpr_accept) : []);
      const boxes = shown.map((item) => {
        const id = item.policy.id;
        const error = errors[`gdpr_accept.${id}`];
        const href = `/privacy/policies/${encodeURIComponent(item.policy.slug)}`;
        const label = item.link.required
          ? fragment`I have read and accept the <a href="${href}" target="_blank" rel="noopener">${item.version.title}</a> <span class="muted">(required)</span>`
          : fragment`I agree to the <a href="${href}" target="_blank" rel="noopener">${item.version.title}</a> <span class="muted">(optional)</span>`;
        // Ids carry the section: two forms on one page (the footer's newsletter signup, a contact form) may show the same policy.
        const boxId = `gdpr-${idPart}-${id}`;
        return fragment`<div class="field gdpr-consent-box${error ? ' has-error' : ''}"><label class="check"><input type="checkbox" id="${boxId}" name="gdpr_accept" value="${String(id)}"${ticked.has(String(id)) ? fragment` checked` : fragment``}${error ? fragment` aria-invalid="true" aria-describedby="${boxId}-error"` : fragment``}> <span>${label}</span></label>${error ? fragment`<p class="error" id="${boxId}-error" role="alert">${error}</p>` : fragment``}</div>`;
      });
      void values;
      const shownValue = shown.map((i) => `${i.policy.id}:${i.version.version}`).join(',');
      return fragment`<fieldset class="gdpr-consents"><legend class="sr-only">Policies</legend>${boxes}<input type="hidden" name="gdpr_shown" value="${shownValue}"></fieldset>`;
    },
    async check(data, req) {
      const errors = missing(await load(req), data);
      return Object.keys(errors).length ? errors : undefined;
    },
    async commit(_tx, data, req, context) {
      // Read again inside the transaction: the admin may have changed the section since the page was shown.
      const shown = await sectionPolicies(section.name);
      const errors = missing(shown, data);
      const [field, message] = Object.entries(errors)[0] ?? [];
      if (field) throw new FormSectionError(message, field);
      const ticked = new Set(data.gdpr_accept ?? []);
      const seen = shownVersions(data.gdpr_shown);
      const person = personOf(context, req);
      const trace = service.traceOf(req, consentIdOf(req, secret));
      const actions = [];
      for (const item of shown) {
        if (!ticked.has(String(item.policy.id))) continue;
        // The version on the page, if it is the current one; a text published meanwhile was not shown.
        if ((seen.get(item.policy.id) ?? item.version.version) !== item.version.version) {
          throw new FormSectionError(`The ${item.policy.title} changed while you were filling in the form: read it again and tick the box.`, `gdpr_accept.${item.policy.id}`);
        }
        actions.push({
          action: 'accepted' as const,
          section: section.name,
          policy: { slug: item.policy.slug, version: item.version.version, textHash: item.version.text_hash },
          required: item.link.required,
        });
      }
      await service.record(actions, person, trace);
    },
  };
}

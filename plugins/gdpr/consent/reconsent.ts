import type { Request, RequestHandler } from 'express';
import { Policy, SectionPolicy } from './models';
import { z } from 'zod';
import { fragment, FormSectionError, raw, readCache, type FieldErrors, type FormExtension } from '@agora/core';
import { policyHtml } from './policy-html';
import { currentPolicies, sectionPolicies, type CurrentPolicy } from './policies';
import type { ConsentAction, ConsentService } from './service';
import { consentIdOf } from './section-boxes';

export const RECONSENT_SECTION = 'core.login.after';
const LOGIN_CONTINUE = '/login/continue';

interface Pending extends CurrentPolicy {
  required: boolean;
  /** The version the person accepted before, or null when they never did. */
  acceptedVersion: number | null;
  /** The hash of the text accepted before ('' when none). */
  acceptedHash: string;
}

const toList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
const schema = z.object({ gdpr_reaccept: z.preprocess(toList, z.array(z.string().max(20)).max(50)).optional() });

/**
 * What a user must answer after logging in: every policy they accepted that has a newer version since, and
 * every policy the admin put in the re-consent section that they have not accepted.
 */
export async function pendingFor(service: ConsentService, user: Express.User): Promise<Pending[]> {
  const current = await service.currentOf({ userId: user.id, email: user.email });
  const policies = await currentPolicies();
  const bySlug = new Map([...policies.values()].map((p) => [p.policy.slug, p]));
  const out = new Map<number, Pending>();
  for (const row of current) {
    const now = bySlug.get(row.policySlug);
    if (row.action === 'accepted' && now && now.version.version > row.policyVersion) out.set(now.policy.id, { ...now, required: row.required, acceptedVersion: row.policyVersion, acceptedHash: row.textHash });
  }
  for (const item of await sectionPolicies(RECONSENT_SECTION)) {
    const mine = current.find((r) => r.policySlug === item.policy.slug);
    if (out.has(item.policy.id) || (mine?.action === 'accepted' && mine.policyVersion >= item.version.version)) continue;
    if (mine?.action === 'withdrawn' && !item.link.required) continue;
    out.set(item.policy.id, { policy: item.policy, version: item.version, required: item.link.required, acceptedVersion: mine?.action === 'accepted' ? mine.policyVersion : null, acceptedHash: mine?.action === 'accepted' ? mine.textHash : '' });
  }
  return [...out.values()].sort((a, b) => a.policy.position - b.policy.position);
}

/**
 * Re-consent at login (`core.login.after`): the person sees what changed and answers again before going on.
 * A required one must be accepted (or the person logs out); leaving an optional one unticked withdraws it.
 */
export function reconsentExtension(service: ConsentService, secret: string): FormExtension<'core.login.after', typeof schema> {
  const memo = new WeakMap<Request, Pending[]>();
  const load = async (req: Request, user: Express.User) => {
    const known = memo.get(req);
    if (known) return known;
    const pending = await pendingFor(service, user);
    memo.set(req, pending);
    return pending;
  };
  const missing = (pending: Pending[], ticked: Set<string>): FieldErrors => {
    const errors: FieldErrors = {};
    for (const p of pending) if (p.required && !ticked.has(String(p.policy.id))) errors[`gdpr_reaccept.${p.policy.id}`] = `Accept the new ${p.policy.title} to go on, or log out.`;
    return errors;
  };
  return {
    schema,
    priority: 90,
    applies: async ({ user }, req) => (await load(req, user)).length > 0,
    async render({ context, errors, submitted, req }) {
      const pending = await load(req, context.user);
      const ticked = new Set(submitted ? toList((req.body as Record<string, unknown> | undefined)?.gdpr_reaccept) : []);
      const items = pending.map((p) => {
        const id = p.policy.id;
        const error = errors[`gdpr_reaccept.${id}`];
        const href = `/privacy/policies/${encodeURIComponent(p.policy.slug)}?version=${p.version.version}`;
        const intro = p.acceptedVersion
          ? fragment`<p>You accepted version ${p.acceptedVersion}; version ${p.version.version} was published on ${p.version.created_at.toISOString().slice(0, 10)}.</p>`
          : fragment`<p>Please read it and tell us whether you accept it.</p>`;
        const changes = p.version.changes ? fragment`<div class="gdpr-changes"><strong>What changed:</strong> ${p.version.changes}</div>` : fragment``;
        // The whole text is here: the gate holds every other page, the policy's own page included.
        const text = fragment`<details class="gdpr-fulltext"><summary>Read the full text of version ${p.version.version}</summary>${raw(policyHtml(p.version.body))}</details>`;
        const label = p.required
          ? fragment`I have read and accept the new <a href="${href}" target="_blank" rel="noopener">${p.version.title}</a> <span class="muted">(required)</span>`
          : fragment`I agree to the new <a href="${href}" target="_blank" rel="noopener">${p.version.title}</a> <span class="muted">(optional: leave it unticked to withdraw your consent)</span>`;
        return fragment`<section class="panel gdpr-reconsent"><h2>${p.version.title}</h2>${intro}${changes}${text}<div class="field${error ? ' has-error' : ''}"><label class="check"><input type="checkbox" name="gdpr_reaccept" value="${String(id)}"${ticked.has(String(id)) ? fragment` checked` : fragment``}${error ? fragment` aria-invalid="true"` : fragment``}> <span>${label}</span></label>${error ? fragment`<p class="error" role="alert">${error}</p>` : fragment``}</div></section>`;
      });
      return fragment`<div class="gdpr-reconsent-list"><p>Some of our policies changed since you last accepted them.</p>${items}</div>`;
    },
    async check(data, req, context) {
      const errors = missing(await load(req, context.user), new Set(data.gdpr_reaccept ?? []));
      return Object.keys(errors).length ? errors : undefined;
    },
    async commit(_tx, data, req, { user }) {
      const pending = await pendingFor(service, user);
      const ticked = new Set(data.gdpr_reaccept ?? []);
      const [field, message] = Object.entries(missing(pending, ticked))[0] ?? [];
      if (field) throw new FormSectionError(message, field);
      const person = { userId: user.id, email: user.email, displayName: user.display_name };
      const trace = service.traceOf(req, consentIdOf(req, secret));
      const actions = pending.flatMap((p): ConsentAction[] => {
        const policy = { slug: p.policy.slug, version: p.version.version, textHash: p.version.text_hash };
        if (ticked.has(String(p.policy.id))) return [{ action: 'accepted' as const, section: RECONSENT_SECTION, policy, required: p.required }];
        // Declining an optional consent withdraws the one given before; one never given is recorded as declined
        // (a withdrawal of the version shown), so it is not asked again at every login.
        if (p.acceptedVersion) return [{ action: 'withdrawn' as const, section: RECONSENT_SECTION, policy: { ...policy, version: p.acceptedVersion, textHash: p.acceptedHash } }];
        return [{ action: 'withdrawn' as const, section: RECONSENT_SECTION, policy }];
      });
      await service.record(actions, person, trace);
    },
  };
}

/**
 * Changes whenever a policy gets a new version or the re-consent section changes: the session's "asked" mark.
 * Asked on every page a logged-in person opens, so it is a read cache, dropped by any write to the policies or
 * the section's links (on every instance).
 */
const policiesStampCache = readCache('gdpr.policies-stamp', [Policy, SectionPolicy], async () => {
  const [policies, versions, links] = await Promise.all([Policy.count(), Policy.sum('current_version'), SectionPolicy.count({ where: { section: RECONSENT_SECTION } })]);
  return `${policies}:${versions ?? 0}:${links}`;
});

function policiesStamp(): Promise<string> {
  return policiesStampCache.get();
}

type StampedSession = { gdprPolicyStamp?: string };

/**
 * A person already logged in when a policy changed is held like one logging in: their next page is the gate
 * (an early middleware; GET requests only, so a form being sent is not lost). Each session checks once per
 * change of the policies.
 */
export function holdChangedPolicies(service: ConsentService): RequestHandler {
  return (req, res, next) => {
    const user = req.user;
    if (!user || !req.session || req.session.loginGate || req.method !== 'GET') return next();
    // Pages only: a script polling JSON (an admin's progress bar) is not sent to a form.
    if (req.path === LOGIN_CONTINUE || req.path.startsWith('/plugins/') || (req.get('accept') ?? '').includes('application/json')) return next();
    const session = req.session as typeof req.session & StampedSession;
    (async () => {
      const stamp = await policiesStamp();
      if (session.gdprPolicyStamp === stamp) return next();
      if (!(await pendingFor(service, user)).length) {
        session.gdprPolicyStamp = stamp;
        return next();
      }
      req.session.loginGate = { next: req.originalUrl };
      res.redirect(303, LOGIN_CONTINUE);
    })().catch(next);
  };
}

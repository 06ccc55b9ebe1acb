import { Op } from 'sequelize';
import { readCache } from '@agora/core';
import { Policy, PolicyVersion, SectionPolicy } from './models';
import type { PolicyKind } from './models/policy';
import { textHash } from './hash-chain';

export interface PolicyInput {
  title: string;
  body: string;
  changes?: string;
}

/** A policy with the version people are shown now. */
export interface CurrentPolicy {
  policy: Policy;
  version: PolicyVersion;
}

/** Read by every page (the footer's policy links); any policy write drops it, on every instance. Read-only. */
const policyListCache = readCache('gdpr.policy-list', [Policy], () => Policy.findAll({ order: [['position', 'ASC'], ['id', 'ASC']] }));

export function listPolicies(): Promise<Policy[]> {
  return policyListCache.get();
}

export async function currentVersionOf(policy: Policy): Promise<PolicyVersion> {
  const version = await PolicyVersion.findOne({ where: { policy_id: policy.id, version: policy.current_version } });
  if (!version) throw new Error(`Policy ${policy.slug} has no version ${policy.current_version}`);
  return version;
}

export async function currentPolicies(ids?: number[]): Promise<Map<number, CurrentPolicy>> {
  const policies = await Policy.findAll({ where: ids ? { id: ids } : {} });
  const versions = policies.length
    ? await PolicyVersion.findAll({ where: { [Op.or]: policies.map((p) => ({ policy_id: p.id, version: p.current_version })) } })
    : [];
  const out = new Map<number, CurrentPolicy>();
  for (const policy of policies) {
    const version = versions.find((v) => v.policy_id === policy.id);
    if (version) out.set(policy.id, { policy, version });
  }
  return out;
}

/** A new policy with its first version. */
export async function createPolicy(input: PolicyInput & { slug: string; kind?: PolicyKind; reviewed?: boolean }): Promise<Policy> {
  const position = ((await Policy.max<number, Policy>('position')) ?? 0) + 1;
  const policy = await Policy.create({ slug: input.slug, title: input.title, kind: input.kind ?? 'custom', current_version: 1, position, reviewed_at: input.reviewed === false ? null : new Date() });
  await PolicyVersion.create({ policy_id: policy.id, version: 1, title: input.title, body: input.body, changes: input.changes ?? '', text_hash: textHash(input.title, input.body) });
  return policy;
}

/**
 * Saves an edit. A change of the text (title or body) makes a new version, which people who accepted an older
 * one are asked to accept again at their next login; saving marks the policy reviewed either way.
 * The current version is claimed with a conditional update, so two saves at once make two versions, never one twice.
 */
export async function updatePolicy(policy: Policy, input: PolicyInput): Promise<{ newVersion: number | null }> {
  const current = await currentVersionOf(policy);
  const hash = textHash(input.title, input.body);
  if (hash === current.text_hash) {
    await Policy.update({ reviewed_at: new Date() }, { where: { id: policy.id } });
    return { newVersion: null };
  }
  const next = policy.current_version + 1;
  const [claimed] = await Policy.update(
    { current_version: next, title: input.title, reviewed_at: new Date() },
    { where: { id: policy.id, current_version: policy.current_version } },
  );
  if (!claimed) throw new Error('stale');
  await PolicyVersion.create({ policy_id: policy.id, version: next, title: input.title, body: input.body, changes: input.changes ?? '', text_hash: hash });
  return { newVersion: next };
}

/** The policies a section shows, in order, each with whether it is required. */
export function sectionPolicies(section: string): Promise<Array<{ link: SectionPolicy } & CurrentPolicy>> {
  return sectionPoliciesCache.get(section);
}

/** Read by every page that shows a form with consent boxes (the footer's signup); any policy write drops it. Read-only. */
const sectionPoliciesCache = readCache('gdpr.section-policies', [SectionPolicy, Policy, PolicyVersion], (section) => loadSectionPolicies(section));

async function loadSectionPolicies(section: string): Promise<Array<{ link: SectionPolicy } & CurrentPolicy>> {
  const links = await SectionPolicy.findAll({ where: { section }, order: [['position', 'ASC'], ['id', 'ASC']] });
  if (!links.length) return [];
  const current = await currentPolicies(links.map((l) => l.policy_id));
  return links.flatMap((link) => {
    const found = current.get(link.policy_id);
    return found ? [{ link, ...found }] : [];
  });
}

/** Which policies each section shows on a fresh install: acknowledgements where a contract needs one, the consent optional. */
export const DEFAULT_SECTIONS: Record<string, Array<{ slug: string; required: boolean }>> = {
  'core.register': [
    { slug: 'terms', required: true },
    { slug: 'privacy', required: true },
    { slug: 'consent', required: false },
  ],
  'shops.checkout': [
    { slug: 'terms', required: true },
    { slug: 'privacy', required: true },
  ],
  'messaging.contact': [{ slug: 'privacy', required: true }],
  'newsletter.signup': [
    { slug: 'privacy', required: true },
    { slug: 'consent', required: false },
  ],
  'reviews.review': [{ slug: 'privacy', required: true }],
};

import crypto from 'node:crypto';
import type { Request } from 'express';
import { Op, QueryTypes, type Sequelize } from 'sequelize';
import { ConsentIdentity, RegisterEntry, RegisterHead, type Policy, type PolicyVersion } from './models';
import type { RegisterAction } from './models/register-entry';
import { GENESIS_HASH, identityHash, identityMatches, rowHash, sealIp, sha256 } from './hash-chain';
import { truncateIp } from './ip';

/** Who a consent is about: a registered user, or just an email (a guest's order), or only a cookie id (the banner). */
export interface ConsentPerson {
  userId?: number | null;
  email?: string | null;
  displayName?: string | null;
}

/** The traces of the request a consent was given in; `fullIp` keeps the whole address (a setting). */
export interface ConsentTrace {
  ip: string | null;
  userAgentHash: string | null;
  consentId: string | null;
}

/** One action to append to the register. */
export interface ConsentAction {
  action: RegisterAction;
  section: string;
  policy?: { slug: string; version: number; textHash: string };
  /** Cookie consent: the categories the person accepted (`necessary` included). */
  categories?: readonly string[];
  /** Whether the box was an acknowledgement the form required. */
  required?: boolean;
}

/** A register row as the person and the admin see it, with its identity (null fields once shredded). */
export interface RegisterRow {
  id: number;
  seq: number;
  receipt: string;
  action: RegisterAction;
  section: string;
  policySlug: string;
  policyVersion: number;
  textHash: string;
  categories: string[];
  required: boolean;
  recordedAt: string;
  previousAt: string;
  userId: number | null;
  email: string | null;
  displayName: string | null;
  ip: string | null;
  userAgentHash: string | null;
  consentId: string | null;
  shredded: boolean;
}

export interface VerifyProblem {
  seq: number;
  id?: number;
  problem: string;
}

export interface VerifyResult {
  intact: boolean;
  checked: number;
  /** Where the chain first breaks (its sequence number), or null. */
  brokenAt: number | null;
  problems: VerifyProblem[];
}

export interface RegisterSearch {
  email?: string;
  userId?: number;
  policy?: string;
  section?: string;
}

const BATCH = 500;

/**
 * The consent register: append-only rows in a hash chain, their identities apart (shreddable). Part 2 of the
 * plugin (rights) uses `historyOf` for exports, `withdraw` for a withdrawal, `shred` for an erasure.
 */
export class ConsentService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly fullIp: () => boolean,
  ) {}

  /** The traces of this request: the IP (truncated unless the setting says otherwise), a hash of the user agent, the consent cookie's id. */
  traceOf(req: Request | undefined, consentId: string | null = null): ConsentTrace {
    const ip = req?.ip ?? '';
    const agent = req?.get?.('user-agent') ?? '';
    return { ip: ip ? (this.fullIp() ? ip : truncateIp(ip)) : null, userAgentHash: agent ? sha256(agent) : null, consentId };
  }

  /**
   * Appends actions to the chain, in the ambient transaction (or one of its own). The head row is taken first
   * with an update, so two appends at once wait for each other and never share a predecessor.
   */
  async record(actions: readonly ConsentAction[], person: ConsentPerson, trace: ConsentTrace): Promise<RegisterEntry[]> {
    if (!actions.length) return [];
    return this.sequelize.transaction(async () => {
      const out: RegisterEntry[] = [];
      for (const action of actions) {
        await RegisterHead.increment('seq', { where: { id: 1 } });
        const head = await RegisterHead.findByPk(1);
        if (!head) throw new Error('The consent register has no head row (migration 0001 of gdpr)');
        const salt = crypto.randomBytes(16).toString('hex');
        const identity = {
          user_id: person.userId ?? null,
          email: person.email ? person.email.trim().toLowerCase() : null,
          display_name: person.displayName ?? null,
          ip: trace.ip,
          user_agent_hash: trace.userAgentHash,
          consent_id: trace.consentId,
        };
        const ipSeal = identity.ip ? sealIp(salt, identity.ip) : null;
        const fields = {
          seq: head.seq,
          action: action.action,
          section: action.section,
          policy_slug: action.policy?.slug ?? '',
          policy_version: action.policy?.version ?? 0,
          text_hash: action.policy?.textHash ?? '',
          categories: [...(action.categories ?? [])].sort().join(','),
          required: action.required ?? false,
          previous_at: await this.previousAt(identity, action),
          recorded_at: new Date().toISOString(),
          receipt: crypto.randomBytes(12).toString('hex'),
          identity_hash: identityHash(salt, { ...identity, ip: ipSeal }),
          prev_hash: head.hash,
        };
        const hash = rowHash(fields);
        const entry = await RegisterEntry.create({ ...fields, hash });
        await ConsentIdentity.create({ register_id: entry.id, ...identity, salt, ip_seal: ipSeal, hash_version: 2 });
        await RegisterHead.update({ hash }, { where: { id: 1 } });
        out.push(entry);
      }
      return out;
    });
  }

  /** Takes the register's head row for the rest of the ambient transaction: a check-then-append runs once at a time. */
  async lock(): Promise<void> {
    await RegisterHead.findByPk(1, { lock: true });
  }

  /** Records the acceptance of a policy version. */
  async accept(section: string, policy: Policy, version: PolicyVersion, person: ConsentPerson, trace: ConsentTrace, required = false): Promise<RegisterEntry> {
    const [entry] = await this.record([{ action: 'accepted', section, policy: { slug: policy.slug, version: version.version, textHash: version.text_hash }, required }], person, trace);
    return entry;
  }

  /** Records a withdrawal of the person's consent to a policy (the version they had accepted). */
  async withdraw(policySlug: string, person: ConsentPerson, trace: ConsentTrace, section = 'account'): Promise<RegisterEntry | undefined> {
    const latest = (await this.currentOf(person)).find((c) => c.policySlug === policySlug);
    if (!latest || latest.action !== 'accepted') return undefined;
    const [entry] = await this.record(
      [{ action: 'withdrawn', section, policy: { slug: policySlug, version: latest.policyVersion, textHash: latest.textHash } }],
      person,
      trace,
    );
    return entry;
  }

  /** Every register row about the person (by user id or email), oldest first. */
  async historyOf(person: ConsentPerson): Promise<RegisterRow[]> {
    const where = personWhere(person);
    if (!where) return [];
    const identities = await ConsentIdentity.findAll({ where, order: [['register_id', 'ASC']] });
    if (!identities.length) return [];
    const entries = await RegisterEntry.findAll({ where: { id: identities.map((i) => i.register_id) }, order: [['seq', 'ASC']] });
    const byId = new Map(identities.map((i) => [i.register_id, i]));
    return entries.map((e) => toRow(e, byId.get(e.id)));
  }

  /** The person's latest action per policy (cookie rows left out), policy by policy. */
  async currentOf(person: ConsentPerson): Promise<RegisterRow[]> {
    const latest = new Map<string, RegisterRow>();
    for (const row of await this.historyOf(person)) if (row.policySlug) latest.set(row.policySlug, row);
    return [...latest.values()];
  }

  /** The admin's search, newest first, paged. */
  async search(filter: RegisterSearch, limit: number, offset: number): Promise<{ rows: RegisterRow[]; count: number }> {
    const entryWhere: Record<string, unknown> = {};
    if (filter.policy) entryWhere.policy_slug = filter.policy;
    if (filter.section) entryWhere.section = filter.section;
    const identityWhere = personWhere({ email: filter.email, userId: filter.userId });
    if (identityWhere) {
      const ids = (await ConsentIdentity.findAll({ where: identityWhere, attributes: ['register_id'] })).map((i) => i.register_id);
      entryWhere.id = ids;
    }
    const { rows, count } = await RegisterEntry.findAndCountAll({ where: entryWhere, order: [['seq', 'DESC']], limit, offset });
    const identities = await ConsentIdentity.findAll({ where: { register_id: rows.map((r) => r.id) } });
    const byId = new Map(identities.map((i) => [i.register_id, i]));
    return { rows: rows.map((e) => toRow(e, byId.get(e.id))), count };
  }

  /**
   * Walks the whole chain: every row's hash recomputed, every link to the row before, no sequence number
   * missing, the head matching the last row, and each identity not shredded matching its hash.
   */
  async verify(): Promise<VerifyResult> {
    const problems: VerifyProblem[] = [];
    let expectedSeq = 1;
    let prev = GENESIS_HASH;
    let checked = 0;
    for (let offset = 0; ; offset += BATCH) {
      const batch = await RegisterEntry.findAll({ order: [['seq', 'ASC']], limit: BATCH, offset });
      const identities = await ConsentIdentity.findAll({ where: { register_id: batch.map((b) => b.id) } });
      const byId = new Map(identities.map((i) => [i.register_id, i]));
      for (const entry of batch) {
        checked++;
        if (entry.seq !== expectedSeq) problems.push({ seq: expectedSeq, problem: `row ${expectedSeq}${entry.seq > expectedSeq + 1 ? `–${entry.seq - 1}` : ''} is missing (deleted)` });
        if (entry.prev_hash !== prev) problems.push({ seq: entry.seq, id: entry.id, problem: 'does not follow the row before it (a row before it was changed or deleted)' });
        if (rowHash(entry) !== entry.hash) problems.push({ seq: entry.seq, id: entry.id, problem: 'its content does not match its hash (edited)' });
        const identity = byId.get(entry.id);
        if (!identity) problems.push({ seq: entry.seq, id: entry.id, problem: 'its identity row is missing' });
        else if (identityMatches(identity, entry.identity_hash) === false) {
          problems.push({ seq: entry.seq, id: entry.id, problem: 'its identity (email, user, IP) was changed' });
        }
        prev = entry.hash;
        expectedSeq = entry.seq + 1;
      }
      if (batch.length < BATCH) break;
    }
    const head = await RegisterHead.findByPk(1);
    if (head && (head.seq !== expectedSeq - 1 || head.hash !== prev)) {
      problems.push({ seq: head.seq, problem: head.seq > expectedSeq - 1 ? `the last ${head.seq - (expectedSeq - 1)} row(s) are missing (deleted)` : 'the head of the chain does not match its last row' });
    }
    const brokenAt = problems.length ? Math.min(...problems.map((p) => p.seq)) : null;
    return { intact: problems.length === 0, checked, brokenAt, problems: problems.slice(0, 100) };
  }

  /**
   * Erasure: every identity of the person (by user id or email, and the consent cookie ids seen with them)
   * is emptied; the register rows stay and the chain still verifies. Returns how many rows were shredded.
   */
  async shred(person: ConsentPerson): Promise<number> {
    const where = personWhere(person);
    if (!where) return 0;
    const mine = await ConsentIdentity.findAll({ where: { [Op.and]: [where, { shredded_at: null }] } });
    const cookieIds = [...new Set(mine.map((i) => i.consent_id).filter((id): id is string => !!id))];
    const scope = cookieIds.length ? { [Op.or]: [where, { consent_id: cookieIds }] } : where;
    const [count] = await ConsentIdentity.update(
      { user_id: null, email: null, display_name: null, ip: null, ip_seal: null, user_agent_hash: null, consent_id: null, salt: null, shredded_at: new Date() },
      { where: { [Op.and]: [scope, { shredded_at: null }] } },
    );
    return count;
  }

  private async previousAt(identity: { user_id: number | null; email: string | null; consent_id: string | null }, action: ConsentAction): Promise<string> {
    const conditions: string[] = [];
    const replacements: Record<string, unknown> = { slug: action.policy?.slug ?? '', section: action.section };
    if (identity.user_id) {
      conditions.push('i.user_id = :userId');
      replacements.userId = identity.user_id;
    }
    if (identity.email) {
      conditions.push('i.email = :email');
      replacements.email = identity.email;
    }
    if (!action.policy && identity.consent_id) {
      conditions.push('i.consent_id = :consentId');
      replacements.consentId = identity.consent_id;
    }
    if (!conditions.length) return '';
    const scope = action.policy ? 'r.policy_slug = :slug' : "r.policy_slug = '' AND r.section = :section";
    const rows = await this.sequelize.query<{ recorded_at: string }>(
      `SELECT r.recorded_at FROM gdpr_consent_register r JOIN gdpr_consent_identities i ON i.register_id = r.id WHERE ${scope} AND (${conditions.join(' OR ')}) ORDER BY r.seq DESC LIMIT 1`,
      { type: QueryTypes.SELECT, replacements },
    );
    return rows[0]?.recorded_at ?? '';
  }
}

function personWhere(person: ConsentPerson): Record<string | symbol, unknown> | undefined {
  const or: Array<Record<string, unknown>> = [];
  if (person.userId) or.push({ user_id: person.userId });
  if (person.email) or.push({ email: person.email.trim().toLowerCase() });
  return or.length ? { [Op.or]: or } : undefined;
}

function toRow(e: RegisterEntry, i: ConsentIdentity | undefined): RegisterRow {
  return {
    id: e.id,
    seq: e.seq,
    receipt: e.receipt,
    action: e.action,
    section: e.section,
    policySlug: e.policy_slug,
    policyVersion: e.policy_version,
    textHash: e.text_hash,
    categories: e.categories ? e.categories.split(',') : [],
    required: Boolean(e.required),
    recordedAt: e.recorded_at,
    previousAt: e.previous_at,
    userId: i?.user_id ?? null,
    email: i?.email ?? null,
    displayName: i?.display_name ?? null,
    ip: i?.ip ?? null,
    userAgentHash: i?.user_agent_hash ?? null,
    consentId: i?.consent_id ?? null,
    shredded: !!i?.shredded_at,
  };
}

import { Op } from 'sequelize';
import { User, retentionDays, type RetentionDeclaration, type RetentionScope } from '@agora/core';
import { RightsRequest } from '../models/rights-request';
import { RetentionRun, type RetentionRunLine } from '../models/retention-run';
import type { RightsDeps } from './deps';

/** The site owner's days per retention kind (the admin's retention page); a kind not listed keeps its declared default. */
export const RETENTION_DAYS_OPTION = 'gdpr.retention.days';

export function retentionOverrides(deps: RightsDeps): Record<string, number> {
  return deps.ctx.platform.options.get<Record<string, number>>(RETENTION_DAYS_OPTION, {});
}

export function daysFor(deps: RightsDeps, declaration: RetentionDeclaration): number {
  const chosen = retentionOverrides(deps)[declaration.kind];
  return Number.isInteger(chosen) && chosen >= 1 ? chosen : retentionDays(declaration);
}

/** Thrown inside a dry run's transaction so that what `apply` changed is rolled back. */
class DryRunRollback extends Error {}

/**
 * Runs every declared retention rule (core's and every active plugin's) with the cutoff its days give,
 * each kind in its own transaction, and writes the report. A dry run does the same work in transactions
 * that are rolled back: its report lists what a real run would change, and nothing changes (files that
 * a rule removes go only after a commit).
 */
export async function runRetention(deps: RightsDeps, options: { dryRun: boolean; trigger: 'schedule' | 'admin'; actorId?: number | null; now?: Date }): Promise<RetentionRun> {
  const { ctx } = deps;
  const now = options.now ?? new Date();
  const run = await RetentionRun.create({ dry_run: options.dryRun, trigger: options.trigger, actor_id: options.actorId ?? null, started_at: new Date() });
  const lines: RetentionRunLine[] = [];
  const declarations = [...ctx.platform.privacy.retentions()].sort((a, b) => a.kind.localeCompare(b.kind));
  const scope = await restrictedPeople(options.dryRun);
  for (const declaration of declarations) {
    const days = daysFor(deps, declaration);
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    const line: RetentionRunLine = { kind: declaration.kind, label: declaration.label, days, cutoff: cutoff.toISOString(), removed: 0, anonymized: 0, kept: 0, skipped: 0 };
    try {
      await ctx.sequelize.transaction(async (tx) => {
        const outcome = await declaration.apply(cutoff, tx, scope);
        line.removed = outcome.removed;
        line.anonymized = outcome.anonymized;
        line.kept = outcome.kept ?? 0;
        line.skipped = outcome.skipped ?? 0;
        if (options.dryRun) throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) {
        line.error = error instanceof Error ? error.message : String(error);
        ctx.log.error({ err: error, kind: declaration.kind }, 'retention rule failed');
      }
    }
    lines.push(line);
  }
  await run.update({ finished_at: new Date(), report: JSON.stringify(lines) });
  return run;
}

/** Requests not answered yet: their people's records are kept until they are (Art. 18, and so that the answer is whole). */
const PENDING = ['verified', 'accepted'] as const;

/**
 * The people the sweep must leave alone: everyone with a pending request (verified or accepted, not completed),
 * by address and by account, each completed from the other (a guest's request names an address that may be
 * an account's; an account's request is found by its current address too).
 */
export async function restrictedPeople(dryRun: boolean): Promise<RetentionScope> {
  const pending = await RightsRequest.findAll({ where: { status: [...PENDING] }, attributes: ['email', 'user_id'] });
  const emails = new Set(pending.map((r) => r.email.toLowerCase()).filter((e) => e.includes('@')));
  const userIds = new Set(pending.map((r) => r.user_id).filter((id): id is number => id !== null));
  if (emails.size || userIds.size) {
    const users = await User.findAll({ where: { [Op.or]: [{ id: [...userIds] }, { email: [...emails] }] }, attributes: ['id', 'email'] });
    for (const u of users) {
      userIds.add(u.id);
      emails.add(u.email.toLowerCase());
    }
  }
  return { restrictedUserIds: [...userIds].sort((a, b) => a - b), restrictedEmails: [...emails].sort(), dryRun };
}

import { retentionDays, type RetentionDeclaration } from '@agora/core';
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
  for (const declaration of declarations) {
    const days = daysFor(deps, declaration);
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    const line: RetentionRunLine = { kind: declaration.kind, label: declaration.label, days, cutoff: cutoff.toISOString(), removed: 0, anonymized: 0, kept: 0 };
    try {
      await ctx.sequelize.transaction(async (tx) => {
        const outcome = await declaration.apply(cutoff, tx);
        line.removed = outcome.removed;
        line.anonymized = outcome.anonymized;
        line.kept = outcome.kept ?? 0;
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

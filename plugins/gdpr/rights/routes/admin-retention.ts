import type { Request, Response } from 'express';
import { retentionDays, type FieldErrors } from '@agora/core';
import { RetentionRun } from '../models/retention-run';
import type { RightsDeps } from '../services/deps';
import { RETENTION_DAYS_OPTION, daysFor, retentionOverrides, runRetention } from '../services/retention-sweep';
import { adminGuard } from './guard';

export const RETENTION_CAPABILITY = 'gdpr.retention.manage';
const MAX_DAYS = 36_500;

/** Retention (/admin/privacy/retention): the days of every declared kind, and the sweep (run now, or as a dry run). */
export function adminRetentionRoutes(deps: RightsDeps): void {
  const { ctx } = deps;
  const guard = adminGuard(ctx, RETENTION_CAPABILITY);

  const page = async (req: Request, res: Response, errors: FieldErrors = {}, values: Record<string, unknown> = {}, status = 200, shown?: RetentionRun | null) => {
    const kinds = [...ctx.platform.privacy.retentions()]
      .sort((a, b) => a.kind.localeCompare(b.kind))
      .map((d) => ({ kind: d.kind, owner: d.owner, label: d.label, legalBasis: d.legalBasis, defaultDays: retentionDays(d), days: daysFor(deps, d), overridden: retentionOverrides(deps)[d.kind] !== undefined }));
    const runs = await RetentionRun.findAll({ order: [['id', 'DESC']], limit: 10 });
    const runId = typeof req.query.run === 'string' && /^\d+$/.test(req.query.run) ? Number(req.query.run) : undefined;
    const run = shown ?? (runId ? await RetentionRun.findByPk(runId) : runs[0]);
    await res.renderPage('gdpr/rights/admin/retention', { title: 'Retention', kinds, runs, run: run ?? null, errors, values, status }, status);
  };

  ctx.router.get('/admin/privacy/retention', ...guard, async (req, res) => page(req, res));

  ctx.router.post('/admin/privacy/retention', ...guard, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const errors: FieldErrors = {};
    const next: Record<string, number> = {};
    for (const d of ctx.platform.privacy.retentions()) {
      const raw = body[`days_${d.kind}`];
      if (raw === undefined) continue;
      const text = typeof raw === 'string' ? raw.trim() : '';
      if (text === '') continue; // blank: the declared default
      if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_DAYS) {
        errors[`days_${d.kind}`] = `Enter a whole number of days from 1 to ${MAX_DAYS}, or leave it blank for the default`;
        continue;
      }
      if (Number(text) !== retentionDays(d)) next[d.kind] = Number(text);
    }
    if (Object.keys(errors).length) return page(req, res, errors, body, 422);
    await ctx.platform.options.set(RETENTION_DAYS_OPTION, next);
    res.flash('success', 'Retention periods saved; the next sweep uses them.');
    res.redirect(303, '/admin/privacy/retention');
  });

  ctx.router.post('/admin/privacy/retention/run', ...guard, async (req, res) => {
    const dryRun = (req.body as Record<string, unknown>).dry_run === '1';
    const run = await runRetention(deps, { dryRun, trigger: 'admin', actorId: req.user!.id });
    res.flash('success', dryRun ? 'Dry run finished: nothing was changed. The report lists what a real run would do.' : 'Retention sweep finished.');
    res.redirect(303, `/admin/privacy/retention?run=${run.id}`);
  });
}

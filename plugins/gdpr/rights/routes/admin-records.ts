import { toCsv } from '@agora/core';
import type { RightsDeps } from '../services/deps';
import { adminGuard } from './guard';

export const RECORDS_CAPABILITY = 'gdpr.records.read';

/** The record of processing activities (Art. 30), generated from what core and every active plugin declare. */
export function adminRecordsRoutes(deps: RightsDeps): void {
  const { ctx } = deps;
  const guard = adminGuard(ctx, RECORDS_CAPABILITY);
  const records = () =>
    [...ctx.platform.privacy.processings()]
      .sort((a, b) => a.owner.localeCompare(b.owner))
      .map((p) => {
        const kind = ctx.platform.privacy.retentions().find((r) => p.retention.includes(r.kind));
        return { ...p, retentionKind: kind?.kind ?? '' };
      });

  ctx.router.get('/admin/privacy/records', ...guard, async (_req, res) => {
    await res.renderPage('gdpr/rights/admin/records', { title: 'Record of processing activities', records: records() });
  });

  ctx.router.get('/admin/privacy/records.csv', ...guard, (_req, res) => {
    const rows = records().map((r) => ({ owner: r.owner, purpose: r.purpose, data: r.data.join('; '), legal_basis: r.legalBasis, recipients: r.recipients.join('; '), retention: r.retention }));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="record-of-processing.csv"');
    res.send(toCsv(['owner', 'purpose', 'data', 'legal_basis', 'recipients', 'retention'], rows));
  });
}

import { toCsv } from '@agora/core';
import type { RightsDeps } from '../services/deps';
import { daysFor } from '../services/retention-sweep';
import { storeInfo } from '../services/store-info';
import { adminGuard } from './guard';

export const RECORDS_CAPABILITY = 'gdpr.records.read';

const CSV_COLUMNS = ['controller', 'owner', 'purpose', 'data', 'legal_basis', 'recipients', 'retention', 'retention_rules'] as const;

/**
 * The record of processing activities (Art. 30), generated from what core and every active plugin declare.
 * Each line's retention names the rules (`shops.carts`) that enforce it; the record shows the days the store
 * applies now, so the owner's changes on the retention page show here too.
 */
export function adminRecordsRoutes(deps: RightsDeps): void {
  const { ctx } = deps;
  const guard = adminGuard(ctx, RECORDS_CAPABILITY);
  const records = () => {
    const rules = ctx.platform.privacy.retentions();
    return [...ctx.platform.privacy.processings()]
      .sort((a, b) => a.owner.localeCompare(b.owner))
      .map((p) => ({
        ...p,
        rules: rules.filter((r) => p.retention.includes(r.kind)).map((r) => ({ kind: r.kind, label: r.label, days: daysFor(deps, r) })),
      }));
  };

  ctx.router.get('/admin/privacy/records', ...guard, async (_req, res) => {
    await res.renderPage('gdpr/rights/admin/records', { title: 'Record of processing activities', records: records(), controller: storeInfo(ctx) });
  });

  ctx.router.get('/admin/privacy/records.csv', ...guard, (_req, res) => {
    const controller = storeInfo(ctx);
    const rows = records().map((r) => ({
      controller: `${controller.name} (${controller.url})`,
      owner: r.owner,
      purpose: r.purpose,
      data: r.data.join('; '),
      legal_basis: r.legalBasis,
      recipients: r.recipients.join('; '),
      retention: r.retention,
      retention_rules: r.rules.map((k) => `${k.kind}: ${k.days} days`).join('; '),
    }));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="record-of-processing.csv"');
    res.send(toCsv(CSV_COLUMNS, rows));
  });
}

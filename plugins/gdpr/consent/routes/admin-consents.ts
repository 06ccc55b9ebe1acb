import type { Request } from 'express';
import { z } from 'zod';
import { csvRow, pageFrom, pager, type PluginContext } from '@agora/core';
import type { ConsentService, RegisterRow, RegisterSearch } from '../service';
import { sectionLabel } from '../section-labels';
import { adminGuard } from './admin-guard';

const searchSchema = z.object({
  email: z.string().trim().max(320).optional(),
  user: z.string().trim().regex(/^\d{0,12}$/).optional(),
  policy: z.string().trim().max(80).optional(),
  section: z.string().trim().max(100).optional(),
});

function filterOf(req: Request): { filter: RegisterSearch; values: Record<string, string> } {
  const parsed = searchSchema.safeParse(req.query);
  const q = parsed.success ? parsed.data : {};
  const values = { email: q.email ?? '', user: q.user ?? '', policy: q.policy ?? '', section: q.section ?? '' };
  return { filter: { email: q.email || undefined, userId: q.user ? Number(q.user) : undefined, policy: q.policy || undefined, section: q.section || undefined }, values };
}

const CSV_COLUMNS = ['seq', 'receipt', 'recorded_at', 'action', 'section', 'policy', 'version', 'text_sha256', 'categories', 'required', 'previous_at', 'user_id', 'display_name', 'email', 'ip', 'user_agent_sha256', 'consent_id'] as const;

function csvLine(r: RegisterRow): string {
  return csvRow([r.seq, r.receipt, r.recordedAt, r.action, r.section, r.policySlug, r.policyVersion || '', r.textHash, r.categories.join(' '), r.required ? 'yes' : 'no', r.previousAt, r.userId ?? '', r.displayName ?? '', r.email ?? '', r.ip ?? '', r.userAgentHash ?? '', r.consentId ?? '']);
}

/** `/admin/privacy/consents`: the register searched by email, user, policy and section; CSV; "Verify register". */
export function adminConsentRoutes(ctx: PluginContext, service: ConsentService): void {
  const guard = adminGuard(ctx);

  ctx.router.get('/admin/privacy/consents', ...guard, async (req, res) => {
    const { filter, values } = filterOf(req);
    const page = pageFrom(req.query, 50);
    const { rows, count } = await service.search(filter, page.perPage, page.offset);
    const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v)).toString();
    await res.renderPage('gdpr/admin/consents', {
      title: 'Consent register',
      rows,
      values,
      sectionLabel,
      csvUrl: `/admin/privacy/consents.csv${query ? `?${query}` : ''}`,
      pager: pager('/admin/privacy/consents', req.query, { page: page.page, perPage: page.perPage, total: count, noun: 'rows' }),
      verification: null,
    });
  });

  ctx.router.get('/admin/privacy/consents.csv', ...guard, async (req, res) => {
    const { filter } = filterOf(req);
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="consent-register-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.write(`${CSV_COLUMNS.join(',')}\r\n`);
    for (let offset = 0; ; offset += 500) {
      const { rows } = await service.search(filter, 500, offset);
      for (const row of rows) res.write(csvLine(row));
      if (rows.length < 500) break;
    }
    res.end();
  });

  ctx.router.post('/admin/privacy/consents/verify', ...guard, async (req, res) => {
    const verification = await service.verify();
    const { rows, count } = await service.search({}, 50, 0);
    await res.renderPage('gdpr/admin/consents', {
      title: 'Consent register',
      rows,
      values: { email: '', user: '', policy: '', section: '' },
      sectionLabel,
      csvUrl: '/admin/privacy/consents.csv',
      pager: pager('/admin/privacy/consents', {}, { page: 1, perPage: 50, total: count, noun: 'rows' }),
      verification,
    });
  });
}

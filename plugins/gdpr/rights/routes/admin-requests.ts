import type { Response } from 'express';
import { Op, type WhereOptions } from 'sequelize';
import { notFound, pageFrom, pager, parseForm, type FieldErrors } from '@agora/core';
import { RightsRequest, REQUEST_STATUSES, type RequestStatus } from '../models/rights-request';
import { RightsRequestEvent } from '../models/rights-request-event';
import type { RightsDeps } from '../services/deps';
import { KIND_LABELS } from '../services/kinds';
import { OPEN_STATUSES, STATUS_LABELS } from '../services/transitions';
import { clockState, MAX_EXTENSION_MONTHS } from '../services/legal-clock';
import { acceptRequest, extendRequest, rejectRequest, retryRequest, type DecisionOutcome } from '../services/decisions';
import { extendForm, rejectForm } from '../forms';
import { CHANNEL_LABELS, verificationOf } from '../services/register-columns';
import { adminGuard, idOf } from './guard';

export const REQUESTS_CAPABILITY = 'gdpr.requests.manage';
const PER_PAGE = 50;

/** Open requests that are late, or due within the warning days: the dashboard's count and the list's highlight. */
export async function clockCounts(deps: RightsDeps, now = new Date()): Promise<{ overdue: number; nearlyDue: number; open: number }> {
  const soon = new Date(now.getTime() + deps.settings().rightsNearlyDueDays * 86_400_000);
  const open = { status: ['verified', 'accepted'] };
  const [overdue, nearlyDue, all] = await Promise.all([
    RightsRequest.count({ where: { ...open, due_at: { [Op.lt]: now } } }),
    RightsRequest.count({ where: { ...open, due_at: { [Op.gte]: now, [Op.lte]: soon } } }),
    RightsRequest.count({ where: open }),
  ]);
  return { overdue, nearlyDue, open: all };
}

/** The register of requests (/admin/privacy/requests): every request, its legal clock, its history and the decisions. */
export function adminRequestRoutes(deps: RightsDeps): void {
  const { ctx } = deps;
  const guard = adminGuard(ctx, REQUESTS_CAPABILITY);

  ctx.router.get('/admin/privacy/requests', ...guard, async (req, res) => {
    const status = typeof req.query.status === 'string' && (REQUEST_STATUSES as readonly string[]).includes(req.query.status) ? (req.query.status as RequestStatus) : undefined;
    const open = req.query.status === 'open';
    const where: WhereOptions<RightsRequest> = status ? { status } : open ? { status: [...OPEN_STATUSES] } : {};
    const page = pageFrom(req.query, PER_PAGE);
    const { rows, count } = await RightsRequest.findAndCountAll({ where, order: [['id', 'DESC']], limit: page.perPage, offset: page.offset });
    const nearly = deps.settings().rightsNearlyDueDays;
    await res.renderPage('gdpr/rights/admin/requests', {
      title: 'Privacy requests',
      rows: rows.map((r) => ({ request: r, label: KIND_LABELS[r.kind], status: STATUS_LABELS[r.status], channel: CHANNEL_LABELS[r.source], verification: verificationOf(r), clock: clockState(r.due_at, r.status === 'verified' || r.status === 'accepted', nearly) })),
      counts: await clockCounts(deps),
      filter: status ?? (open ? 'open' : ''),
      statuses: REQUEST_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
      pager: pager('/admin/privacy/requests', req.query, { page: page.page, perPage: page.perPage, total: count, noun: 'requests' }),
    });
  });

  const detail = async (res: Response, id: number, errors: FieldErrors = {}, values: Record<string, unknown> = {}, status = 200) => {
    const request = await RightsRequest.findByPk(id);
    if (!request) throw notFound('request');
    const history = await RightsRequestEvent.findAll({ where: { request_id: id }, order: [['id', 'ASC']] });
    const report = request.report ? (JSON.parse(request.report) as { sections?: unknown[] }) : undefined;
    await res.renderPage(
      'gdpr/rights/admin/request',
      {
        title: `Request #${request.id}`,
        request,
        label: KIND_LABELS[request.kind],
        status: STATUS_LABELS[request.status],
        channel: CHANNEL_LABELS[request.source],
        verification: verificationOf(request),
        clock: clockState(request.due_at, request.status === 'verified' || request.status === 'accepted', deps.settings().rightsNearlyDueDays),
        history,
        report,
        decidable: request.status === 'verified' && (request.kind === 'access' || request.kind === 'erasure'),
        retryable: request.status === 'accepted',
        extendable: (request.status === 'verified' || request.status === 'accepted') && request.extended_months < MAX_EXTENSION_MONTHS,
        monthsLeft: MAX_EXTENSION_MONTHS - request.extended_months,
        errors,
        values,
      },
      status,
    );
  };

  ctx.router.get('/admin/privacy/requests/:id', ...guard, async (req, res) => {
    const id = idOf(req.params.id);
    if (id === undefined) throw notFound('request');
    await detail(res, id);
  });

  const answer = async (res: Response, id: number, outcome: DecisionOutcome, done: string) => {
    if (!outcome.ok) return detail(res, id, { form: outcome.message }, {}, 409);
    res.flash('success', done);
    res.redirect(303, `/admin/privacy/requests/${id}`);
  };

  ctx.router.post('/admin/privacy/requests/:id/accept', ...guard, async (req, res) => {
    const id = idOf(req.params.id);
    if (id === undefined || !(await RightsRequest.count({ where: { id } }))) throw notFound('request');
    await answer(res, id, await acceptRequest(deps, id, req.user!.id), 'Accepted and carried out; the person was emailed.');
  });

  ctx.router.post('/admin/privacy/requests/:id/retry', ...guard, async (req, res) => {
    const id = idOf(req.params.id);
    if (id === undefined || !(await RightsRequest.count({ where: { id } }))) throw notFound('request');
    await answer(res, id, await retryRequest(deps, id, req.user!.id), 'Carried out; the person was emailed.');
  });

  ctx.router.post('/admin/privacy/requests/:id/reject', ...guard, async (req, res) => {
    const id = idOf(req.params.id);
    if (id === undefined || !(await RightsRequest.count({ where: { id } }))) throw notFound('request');
    const parsed = parseForm(rejectForm, req.body);
    if (!parsed.ok) return detail(res, id, parsed.errors, req.body as Record<string, unknown>, 422);
    await answer(res, id, await rejectRequest(deps, id, req.user!.id, parsed.data.reason), 'Refused; the person was told why and where to complain.');
  });

  ctx.router.post('/admin/privacy/requests/:id/extend', ...guard, async (req, res) => {
    const id = idOf(req.params.id);
    if (id === undefined || !(await RightsRequest.count({ where: { id } }))) throw notFound('request');
    const parsed = parseForm(extendForm, req.body);
    if (!parsed.ok) return detail(res, id, parsed.errors, req.body as Record<string, unknown>, 422);
    const outcome = await extendRequest(deps, id, req.user!.id, parsed.data.months, parsed.data.reason);
    if (!outcome.ok) return detail(res, id, { form: outcome.message }, req.body as Record<string, unknown>, 422);
    res.flash('success', 'The deadline was extended; the person was told why.');
    res.redirect(303, `/admin/privacy/requests/${id}`);
  });
}

import type { Response } from 'express';
import { parseForm, requireUser } from '@agora/core';
import type { RightsDeps } from '../services/deps';
import { accountErasureForm, emailRequestForm, objectionForm } from '../forms';
import { confirmByLink, requestByEmail, requestForLink, requestFromAccount } from '../services/requests';
import { archiveFor, claimDownload } from '../services/delivery';
import { KIND_LABELS } from '../services/kinds';
import { authorityOf, renderRightsPage } from './rights-page';

const LINK_PROBLEMS = {
  invalid: { status: 404, title: 'This link does not work', message: 'The link is not one we sent, or it was copied incompletely. Ask again from the rights page.' },
  expired: { status: 410, title: 'This link has expired', message: 'Links work for a limited time. Ask again from the rights page and follow the new link.' },
  used: { status: 410, title: 'This link was already used', message: 'Each link works once. The status of your requests is on your account page; or ask again from the rights page.' },
} as const;

/** "Exercise your rights" (/privacy/rights): requests by email for anyone, and the signed-in person's own actions. */
export function publicRightsRoutes(deps: RightsDeps): void {
  const { ctx } = deps;
  const { router } = ctx;
  // Contact-like forms: each address may send a few, so nobody can flood an inbox with confirmation links.
  const requestLimit = ctx.http.rateLimit('rights-request', { windowMs: 15 * 60_000, limit: 10 });
  const linkLimit = ctx.http.rateLimit('rights-link', { windowMs: 15 * 60_000, limit: 30 });

  router.get('/privacy/rights', async (req, res) => renderRightsPage(deps, req, res));

  router.post('/privacy/rights/request', requestLimit, async (req, res) => {
    const parsed = parseForm(emailRequestForm, req.body);
    if (!parsed.ok) return renderRightsPage(deps, req, res, { errors: parsed.errors, values: req.body as Record<string, unknown>, form: 'email' }, 422);
    await requestByEmail(deps, parsed.data.kind, parsed.data.email);
    // The same page whether or not the store knows the address: nothing here tells the two apart.
    await res.renderPage('gdpr/rights/sent', { title: 'Check your inbox', label: KIND_LABELS[parsed.data.kind], hours: deps.settings().rightsVerifyHours, authority: authorityOf(deps) });
  });

  const problem = async (res: Response, reason: keyof typeof LINK_PROBLEMS) => {
    const p = LINK_PROBLEMS[reason];
    await res.renderPage('gdpr/rights/link-problem', { title: p.title, message: p.message }, p.status);
  };

  router.get('/privacy/rights/confirm/:token', linkLimit, async (req, res) => {
    const found = await requestForLink(req.params.token);
    if (!found.ok) return problem(res, found.reason);
    await res.renderPage('gdpr/rights/confirm', { title: 'Confirm your request', label: KIND_LABELS[found.request.kind], kind: found.request.kind, token: req.params.token });
  });

  router.post('/privacy/rights/confirm/:token', linkLimit, async (req, res) => {
    const outcome = await confirmByLink(deps, req.params.token);
    if (!outcome.ok) return problem(res, outcome.reason);
    const r = outcome.request;
    if (r.kind === 'objection' && req.session) req.session.gdprObjected = true;
    await res.renderPage('gdpr/rights/confirmed', { title: 'Your request is registered', label: KIND_LABELS[r.kind], kind: r.kind, due: r.due_at, status: r.status, authority: authorityOf(deps) });
  });

  router.get('/privacy/rights/download/:token', linkLimit, async (req, res) => {
    const claim = await claimDownload(req.params.token);
    if (!claim.ok) return problem(res, claim.reason);
    // Single use: the archive goes once it has been sent (the housekeeping job removes any left behind).
    res.on('finish', () => void ctx.files.private.remove(claim.fileId).catch((err: unknown) => ctx.log.error({ err }, 'export not removed')));
    await ctx.files.private.send(res, claim.fileId);
  });

  // Portability for a signed-in person: the archive at once, recorded in the register, never kept on the server.
  router.post('/privacy/rights/export', requireUser, async (req, res) => {
    const user = req.user!;
    // Recorded first, so that the archive lists this request too ("the status of every request").
    await requestFromAccount(deps, user, 'export');
    const archive = await archiveFor(deps, { email: user.email, userId: user.id });
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${archive.name}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(archive.buffer);
  });

  router.post('/privacy/rights/erasure', requireUser, async (req, res) => {
    const parsed = parseForm(accountErasureForm, req.body);
    if (!parsed.ok) return renderRightsPage(deps, req, res, { errors: parsed.errors, form: 'erasure' }, 422);
    await requestFromAccount(deps, req.user!, 'erasure');
    res.flash('success', 'Your deletion request is registered. We answer within one month; you can follow it here.');
    res.redirect(303, '/account/privacy');
  });

  router.post('/privacy/rights/objection', requireUser, async (req, res) => {
    const parsed = parseForm(objectionForm, req.body);
    if (!parsed.ok) return renderRightsPage(deps, req, res, { errors: parsed.errors, form: 'objection' }, 422);
    await requestFromAccount(deps, req.user!, 'objection', 'Objected from the account: marketing and profiling stopped');
    res.flash('success', 'Done: you will receive no more marketing from us, and nothing is personalised for you.');
    res.redirect(303, '/account/privacy');
  });
}

import { UniqueConstraintError } from 'sequelize';
import { User } from '@agora/core';
import { RightsRequest, type RequestKind } from '../models/rights-request';
import type { RightsDeps } from './deps';
import { emailHash, newLinkToken, normalizeEmail, tokenHash, isLinkToken } from './secrets';
import { addMonths, isoDay } from './legal-clock';
import { moveRequest, recordEvent } from './transitions';
import { KIND_LABELS, type EmailKind } from './kinds';
import { applyObjection } from './objection';
import '../hooks';

/** A request asked again within this time sends no second email (a double click, a mail-bombing attempt). */
const RESEND_AFTER_MS = 10 * 60 * 1000;

/**
 * A request made by email (a guest, or anyone who is not signed in): it waits for the person to follow the
 * link sent to that address. At most one request of a kind waits per address (the unique `pending_key`),
 * so two identical submissions at once write one row. The caller shows the same answer whatever happens
 * here: whether the store knows the address is never revealed.
 */
export async function requestByEmail(deps: RightsDeps, kind: EmailKind, rawEmail: string, now = new Date()): Promise<void> {
  const { ctx } = deps;
  const email = normalizeEmail(rawEmail);
  const hash = emailHash(ctx.config.sessionSecret, email);
  const pendingKey = `${kind}:${hash}`;
  const token = newLinkToken();
  const expires = new Date(now.getTime() + deps.settings().rightsVerifyHours * 3600_000);
  try {
    await ctx.sequelize.transaction(async (tx) => {
      const waiting = await RightsRequest.findOne({ where: { pending_key: pendingKey }, transaction: tx });
      if (waiting) {
        if (now.getTime() - waiting.updated_at.getTime() < RESEND_AFTER_MS) return;
        // Asked again later: a fresh link replaces the old one (the old one stops working).
        const [n] = await RightsRequest.update({ token_hash: token.hash, token_expires_at: expires }, { where: { id: waiting.id, status: 'awaiting_verification', updated_at: waiting.updated_at }, transaction: tx });
        if (n !== 1) return;
        await recordEvent(tx, waiting.id, 'link_resent', 'awaiting_verification', 'awaiting_verification', 'Asked again: a new confirmation link was sent');
      } else {
        const created = await RightsRequest.create(
          { kind, email, email_hash: hash, user_id: null, source: 'email', status: 'awaiting_verification', token_hash: token.hash, token_expires_at: expires, pending_key: pendingKey, received_at: now },
          { transaction: tx },
        );
        await recordEvent(tx, created.id, 'received', null, 'awaiting_verification', 'Asked for by email; a confirmation link was sent');
      }
      await ctx.mail.send({
        to: email,
        subject: `Confirm your request: ${KIND_LABELS[kind].toLowerCase()}`,
        template: 'gdpr/rights/mail/confirm',
        data: { kind, label: KIND_LABELS[kind], link: `${ctx.config.baseUrl}/privacy/rights/confirm/${token.raw}`, expires },
      });
    });
  } catch (error) {
    // The same request submitted twice at once: the other submission wrote the row and sent the link.
    if (error instanceof UniqueConstraintError) return;
    throw error;
  }
}

export type ConfirmOutcome = { ok: true; request: RightsRequest } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/** The request a confirmation link names, without using it (the page that asks the person to confirm). */
export async function requestForLink(raw: unknown, now = new Date()): Promise<ConfirmOutcome> {
  if (!isLinkToken(raw)) return { ok: false, reason: 'invalid' };
  const request = await RightsRequest.findOne({ where: { token_hash: tokenHash(raw) } });
  if (!request) return { ok: false, reason: 'invalid' };
  if (request.status === 'expired') return { ok: false, reason: 'expired' };
  if (request.status !== 'awaiting_verification') return { ok: false, reason: 'used' };
  if (!request.token_expires_at || request.token_expires_at.getTime() < now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, request };
}

/**
 * Following the link (by POST: mail scanners fetch links) verifies the address: the request enters the
 * register with its legal clock (one month from now). Single use: a conditional update moves it, so the
 * same link used twice at once verifies once. An objection is carried out at once; it needs no decision.
 */
export async function confirmByLink(deps: RightsDeps, raw: unknown, now = new Date()): Promise<ConfirmOutcome> {
  const found = await requestForLink(raw, now);
  if (!found.ok) return found;
  const { ctx } = deps;
  const request = found.request;
  const user = await User.findOne({ where: { email: request.email }, attributes: ['id'] });
  const due = addMonths(now, 1);
  const moved = await ctx.sequelize.transaction(async (tx) => {
    const ok = await moveRequest(tx, request, 'awaiting_verification', 'verified', {
      action: 'verified',
      note: 'The person followed the link sent to the address',
      fields: { verified_at: now, due_at: due, pending_key: null, user_id: user?.id ?? null },
    });
    if (!ok) return false;
    if (request.kind === 'objection') {
      await applyObjection(deps, { email: request.email, userId: user?.id }, tx);
      await moveRequest(tx, request, 'verified', 'accepted', { action: 'accepted', note: 'An objection to direct marketing needs no decision (Art. 21(3))' });
      await moveRequest(tx, request, 'accepted', 'completed', { action: 'completed', note: 'Marketing and profiling stopped', fields: { completed_at: now, decided_at: now } });
    } else {
      await ctx.mail.send({
        to: request.email,
        userId: user?.id,
        subject: `We received your request: ${KIND_LABELS[request.kind].toLowerCase()}`,
        template: 'gdpr/rights/mail/received',
        data: { label: KIND_LABELS[request.kind], due: isoDay(due), statusUrl: `${ctx.config.baseUrl}/account/privacy` },
      });
    }
    return true;
  });
  if (!moved) return { ok: false, reason: 'used' };
  const current = (await RightsRequest.findByPk(request.id))!;
  await ctx.hooks.do('gdpr.request.status.changed', { id: request.id, kind: request.kind, userId: current.user_id }, 'awaiting_verification', current.status);
  return { ok: true, request: current };
}

/**
 * A request made from the account: the login verified the person. Erasure waits for the owner's decision
 * (one open erasure per account: asking again returns it); the others are done at once and recorded.
 */
export async function requestFromAccount(
  deps: RightsDeps,
  user: { id: number; email: string },
  kind: Exclude<RequestKind, 'access'>,
  details: string | null = null,
  now = new Date(),
): Promise<RightsRequest> {
  try {
    return await writeAccountRequest(deps, user, kind, details, now);
  } catch (error) {
    // Two deletion requests from one account at once: the other one wrote it.
    if (!(error instanceof UniqueConstraintError) || kind !== 'erasure') throw error;
    const open = await RightsRequest.findOne({ where: { user_id: user.id, kind: 'erasure', status: ['verified', 'accepted'] } });
    if (!open) throw error;
    return open;
  }
}

async function writeAccountRequest(
  deps: RightsDeps,
  user: { id: number; email: string },
  kind: Exclude<RequestKind, 'access'>,
  details: string | null,
  now: Date,
): Promise<RightsRequest> {
  const { ctx } = deps;
  const email = normalizeEmail(user.email);
  const base = { kind, email, email_hash: emailHash(ctx.config.sessionSecret, email), user_id: user.id, source: 'account' as const, received_at: now, verified_at: now, details };
  return ctx.sequelize.transaction(async (tx) => {
    if (kind === 'erasure') {
      const open = await RightsRequest.findOne({ where: { user_id: user.id, kind: 'erasure', status: ['verified', 'accepted'] }, transaction: tx });
      if (open) return open;
      const due = addMonths(now, 1);
      // One open erasure per account, also for two submissions at once: the pending key is unique.
      const created = await RightsRequest.create({ ...base, status: 'verified', due_at: due, pending_key: `erasure:user:${user.id}` }, { transaction: tx });
      await recordEvent(tx, created.id, 'received', null, 'verified', 'Asked for from the account (signed in)');
      await ctx.mail.send({
        to: email,
        userId: user.id,
        subject: 'We received your request: deletion of your data',
        template: 'gdpr/rights/mail/received',
        data: { label: KIND_LABELS.erasure, due: isoDay(due), statusUrl: `${ctx.config.baseUrl}/account/privacy` },
      });
      return created;
    }
    const created = await RightsRequest.create({ ...base, status: 'completed', decided_at: now, completed_at: now }, { transaction: tx });
    await recordEvent(tx, created.id, 'completed', null, 'completed', kind === 'export' ? 'Downloaded at once from the account' : details);
    if (kind === 'objection') await applyObjection(deps, { email, userId: user.id }, tx);
    return created;
  });
}

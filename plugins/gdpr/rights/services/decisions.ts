import { User } from '@agora/core';
import { RightsRequest } from '../models/rights-request';
import type { RightsDeps } from './deps';
import { moveRequest, recordEvent } from './transitions';
import { deliverExport, downloadMail } from './delivery';
import { addMonths, isoDay, MAX_EXTENSION_MONTHS } from './legal-clock';
import { KIND_LABELS } from './kinds';
import '../hooks';

export type DecisionOutcome = { ok: true } | { ok: false; message: string };

const gone = (): DecisionOutcome => ({ ok: false, message: 'This request was already decided (perhaps by someone else just now). The page shows where it stands.' });

async function statusChanged(deps: RightsDeps, request: RightsRequest, from: string, to: string): Promise<void> {
  await deps.ctx.hooks.do('gdpr.request.status.changed', { id: request.id, kind: request.kind, userId: request.user_id }, from, to);
}

/**
 * Accepting runs the work: an access request gets its archive and a download link; an erasure runs every
 * plugin's eraser and keeps their reports. The claim (verified → accepted) is a conditional update, so two
 * admins pressing Accept at once do the work once. A failure leaves it accepted, with the error in its
 * history, for "Run again".
 */
export async function acceptRequest(deps: RightsDeps, id: number, actorId: number): Promise<DecisionOutcome> {
  const { ctx } = deps;
  const request = await RightsRequest.findByPk(id);
  if (!request) return { ok: false, message: 'No such request.' };
  if (request.kind !== 'access' && request.kind !== 'erasure') return { ok: false, message: 'Only access and erasure requests wait for a decision.' };
  const claimedAt = new Date();
  const claimed = await ctx.sequelize.transaction((tx) =>
    moveRequest(tx, request, 'verified', 'accepted', { action: 'accepted', actorId, fields: { decided_at: claimedAt, decided_by: actorId, pending_key: null } }),
  );
  if (!claimed) return gone();
  await statusChanged(deps, request, 'verified', 'accepted');
  return carryOut(deps, id, actorId);
}

/** Runs an accepted request's work again after a failure; claimed by moving `decided_at` on, so once at a time. */
export async function retryRequest(deps: RightsDeps, id: number, actorId: number): Promise<DecisionOutcome> {
  const request = await RightsRequest.findByPk(id);
  if (!request || request.status !== 'accepted' || !request.decided_at) return gone();
  const claimedAt = new Date(Math.max(Date.now(), request.decided_at.getTime() + 1));
  const [n] = await RightsRequest.update({ decided_at: claimedAt }, { where: { id, status: 'accepted', decided_at: request.decided_at } });
  if (n !== 1) return gone();
  return carryOut(deps, id, actorId);
}

async function carryOut(deps: RightsDeps, id: number, actorId: number): Promise<DecisionOutcome> {
  const { ctx } = deps;
  const request = (await RightsRequest.findByPk(id))!;
  try {
    if (request.kind === 'access') await completeAccess(deps, request, actorId);
    else await completeErasure(deps, request, actorId);
    return { ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log.error({ err: error, request: id }, 'rights request work failed');
    await recordEvent(undefined, id, 'failed', 'accepted', 'accepted', `The work failed: ${message}`, actorId);
    return { ok: false, message: `The work failed and the request stays accepted: ${message}. Try "Run again".` };
  }
}

async function completeAccess(deps: RightsDeps, request: RightsRequest, actorId: number): Promise<void> {
  const { ctx } = deps;
  const delivery = await deliverExport(deps, request);
  const moved = await ctx.sequelize.transaction(async (tx) => {
    const ok = await moveRequest(tx, request, 'accepted', 'completed', {
      action: 'completed',
      actorId,
      note: 'The archive was prepared and the download link emailed',
      fields: { completed_at: new Date(), file_id: delivery.fileId, download_token_hash: delivery.tokenHash, download_expires_at: delivery.expires, downloaded_at: null },
    });
    if (ok) await ctx.mail.send(downloadMail(deps, request, delivery.raw, delivery.expires));
    return ok;
  });
  if (!moved) {
    await ctx.files.private.remove(delivery.fileId);
    return;
  }
  await statusChanged(deps, request, 'accepted', 'completed');
}

/**
 * Erasure through every plugin's eraser (core's registry). The report says per eraser what was removed,
 * anonymized and kept with its legal reason; it names no one (the address is left out). This plugin's own
 * eraser shreds the address on the person's requests, this one included: the mail telling them it is done
 * goes to the address held in memory.
 */
async function completeErasure(deps: RightsDeps, request: RightsRequest, actorId: number): Promise<void> {
  const { ctx } = deps;
  const email = request.email;
  const userId = request.user_id ?? (await User.findOne({ where: { email }, attributes: ['id'] }))?.id ?? null;
  const result = await ctx.platform.privacy.erasePerson({ email, userId: userId ?? undefined });
  const sections = result.sections.map(({ owner, eraser, removed, anonymized, retained, error }) => ({ owner, eraser, removed, anonymized, retained, ...(error ? { error } : {}) }));
  // The mail saying it is done goes to the address after the erasers ran: it is the one trace left, and the report says so.
  sections.push({
    owner: 'gdpr',
    eraser: 'confirmation',
    removed: [],
    anonymized: [],
    retained: [{ what: 'the email telling you that the erasure is done (its address, in the outbox)', reason: 'The person is told the outcome of their request (GDPR Art. 12(3) and 19); removed with the outbox (core.outbox)', covers: { OutboxMessage: ['to_address'] } }],
  });
  const failed = sections.filter((s) => s.error);
  const report = JSON.stringify({ erasedAt: result.erasedAt, sections });
  if (failed.length) {
    await RightsRequest.update({ report }, { where: { id: request.id } });
    throw new Error(`${failed.map((s) => `${s.owner}/${s.eraser}`).join(', ')} failed`);
  }
  const accountGone = userId !== null && !(await User.findByPk(userId, { attributes: ['id'] }));
  await ctx.sequelize.transaction(async (tx) => {
    const ok = await moveRequest(tx, request, 'accepted', 'completed', { action: 'completed', actorId, note: 'Every eraser ran; their reports are kept', fields: { completed_at: new Date(), report } });
    if (!ok) return;
    await ctx.mail.send({
      to: email,
      subject: 'Your data was deleted',
      template: 'gdpr/rights/mail/erased',
      data: { retained: sections.filter((s) => s.eraser !== 'confirmation').flatMap((s) => s.retained), accountGone },
    });
  });
  if (accountGone) await ctx.hooks.do('core.user.deleted', userId, email);
  await ctx.hooks.do('gdpr.erasure.completed', { id: request.id, userId }, { sections });
  await statusChanged(deps, request, 'accepted', 'completed');
}

/** Refusing needs a reason; the person is told it and their right to complain to the supervisory authority (Art. 12(4)). */
export async function rejectRequest(deps: RightsDeps, id: number, actorId: number, reason: string): Promise<DecisionOutcome> {
  const { ctx } = deps;
  const request = await RightsRequest.findByPk(id);
  if (!request) return { ok: false, message: 'No such request.' };
  const settings = deps.settings();
  const moved = await ctx.sequelize.transaction(async (tx) => {
    const ok = await moveRequest(tx, request, 'verified', 'rejected', { action: 'rejected', actorId, note: reason, fields: { decided_at: new Date(), decided_by: actorId, reject_reason: reason, pending_key: null } });
    if (!ok) return false;
    await ctx.mail.send({
      to: request.email,
      userId: request.user_id ?? undefined,
      subject: `Your request was refused: ${KIND_LABELS[request.kind].toLowerCase()}`,
      template: 'gdpr/rights/mail/rejected',
      data: { label: KIND_LABELS[request.kind], reason, authority: { name: settings.rightsAuthorityName, address: settings.rightsAuthorityAddress, website: settings.rightsAuthorityWebsite } },
    });
    return true;
  });
  if (!moved) return gone();
  await statusChanged(deps, request, 'verified', 'rejected');
  return { ok: true };
}

/** Extends the deadline by one or two months, two at most in all (Art. 12(3)), with the reason; the person is told. */
export async function extendRequest(deps: RightsDeps, id: number, actorId: number, months: number, reason: string): Promise<DecisionOutcome> {
  const { ctx } = deps;
  const request = await RightsRequest.findByPk(id);
  if (!request) return { ok: false, message: 'No such request.' };
  if (request.status !== 'verified' && request.status !== 'accepted') return { ok: false, message: 'Only a request still being handled can be extended.' };
  const total = request.extended_months + months;
  if (total > MAX_EXTENSION_MONTHS) return { ok: false, message: `The deadline can be extended by ${MAX_EXTENSION_MONTHS} months at most; ${request.extended_months} already used.` };
  const start = request.verified_at ?? request.received_at;
  const due = addMonths(start, 1 + total);
  const done = await ctx.sequelize.transaction(async (tx) => {
    const [n] = await RightsRequest.update(
      { extended_months: total, due_at: due, extension_reason: reason },
      { where: { id, status: request.status, extended_months: request.extended_months }, transaction: tx },
    );
    if (n !== 1) return false;
    await recordEvent(tx, id, 'extended', request.status, request.status, `+${months} month${months === 1 ? '' : 's'} (due ${isoDay(due)}): ${reason}`, actorId);
    await ctx.mail.send({
      to: request.email,
      userId: request.user_id ?? undefined,
      subject: 'We need more time to answer your request',
      template: 'gdpr/rights/mail/extended',
      data: { label: KIND_LABELS[request.kind], due: isoDay(due), reason },
    });
    return true;
  });
  return done ? { ok: true } : gone();
}

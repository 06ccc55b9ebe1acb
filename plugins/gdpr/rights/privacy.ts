import { Op } from 'sequelize';
import { afterCommit, retentionWhere, type PluginContext } from '@agora/core';
import { RightsRequest } from './models/rights-request';
import { RightsRequestEvent } from './models/rights-request-event';
import { emailHash } from './services/secrets';
import { STATUS_LABELS } from './services/transitions';
import { KIND_LABELS } from './services/kinds';

/** What a shredded request's address becomes: the register keeps the keyed hash, not the address. */
export const SHREDDED_EMAIL = 'erased@erased.invalid';
const PAGE = 100;

function requestsOf(ctx: PluginContext, person: { email: string; userId?: number }) {
  const who = [{ email_hash: emailHash(ctx.config.sessionSecret, person.email) }, ...(person.userId ? [{ user_id: person.userId }] : [])];
  return { [Op.or]: who };
}

/**
 * Part 2's own personal data: the person's requests (their address). The export lists every request with
 * its status and history; erasure shreds the address and keeps the record, which proves that the request
 * was answered (accountability, Art. 5(2)).
 */
export function registerRightsPrivacy(ctx: PluginContext): void {
  ctx.privacy.exporter({
    name: 'requests',
    covers: { RightsRequest: ['email'] },
    async exportPage(person, page) {
      const rows = await RightsRequest.findAll({ where: { ...requestsOf(ctx, person), erased_at: null }, order: [['id', 'ASC']], limit: PAGE, offset: (page - 1) * PAGE });
      const events = await RightsRequestEvent.findAll({ where: { request_id: rows.map((r) => r.id) }, order: [['id', 'ASC']] });
      return {
        items: rows.map((r) => ({
          group: 'Your privacy requests',
          id: r.id,
          data: {
            request: KIND_LABELS[r.kind],
            email: r.email,
            status: STATUS_LABELS[r.status],
            received_at: r.received_at,
            verified_at: r.verified_at,
            due_at: r.due_at,
            extension_reason: r.extension_reason,
            decided_at: r.decided_at,
            reject_reason: r.reject_reason,
            completed_at: r.completed_at,
            history: events.filter((e) => e.request_id === r.id).map((e) => ({ at: e.created_at, action: e.action, status: e.to_status, note: e.note })),
          },
        })),
        done: rows.length < PAGE,
      };
    },
  });

  ctx.privacy.eraser({
    name: 'requests',
    covers: { RightsRequest: ['email'] },
    async erasePage(person) {
      return ctx.sequelize.transaction(async (tx) => {
        const rows = await RightsRequest.findAll({ where: { ...requestsOf(ctx, person), erased_at: null }, attributes: ['id', 'file_id'], transaction: tx });
        if (!rows.length) return { removed: [], anonymized: [], retained: [], done: true };
        const files = rows.map((r) => r.file_id).filter((f): f is string => !!f);
        await RightsRequest.update(
          { email: SHREDDED_EMAIL, erased_at: new Date(), token_hash: null, pending_key: null, file_id: null, download_token_hash: null },
          { where: { id: rows.map((r) => r.id) }, transaction: tx },
        );
        afterCommit(tx, async () => {
          for (const f of files) await ctx.files.private.remove(f);
        });
        return {
          removed: files.length ? [`${files.length} prepared export ${files.length === 1 ? 'archive' : 'archives'}`] : [],
          anonymized: [`your address on ${rows.length} privacy ${rows.length === 1 ? 'request' : 'requests'}`],
          retained: [{ what: 'the record of your privacy requests and how they were answered, without your address', reason: 'Proof that the store answered them (GDPR Art. 5(2), accountability)' }],
          done: true,
        };
      });
    },
  });

  ctx.privacy.retention('unverified-requests', {
    label: 'Rights requests whose confirmation link was never followed',
    defaultDays: 30,
    legalBasis: 'legitimate_interests',
    async apply(cutoff, transaction, scope) {
      const { where, held } = retentionWhere({ status: 'expired', created_at: { [Op.lt]: cutoff } }, scope, { user: 'user_id', email: 'email' });
      const skipped = held ? await RightsRequest.count({ where: held, transaction }) : 0;
      const rows = await RightsRequest.findAll({ where, attributes: ['id'], limit: 500, transaction });
      const ids = rows.map((r) => r.id);
      if (!ids.length) return { removed: 0, anonymized: 0, skipped };
      await RightsRequestEvent.destroy({ where: { request_id: ids }, transaction });
      const removed = await RightsRequest.destroy({ where: { id: ids }, transaction });
      return { removed, anonymized: 0, skipped };
    },
  });

  ctx.privacy.retention('exports', {
    label: 'Prepared export archives (the download link works once and for a few days)',
    defaultDays: 3,
    legalBasis: 'legitimate_interests',
    async apply(cutoff, transaction, scope) {
      const { where, held } = retentionWhere({ file_id: { [Op.ne]: null }, completed_at: { [Op.lt]: cutoff } }, scope, { user: 'user_id', email: 'email' });
      const skipped = held ? await RightsRequest.count({ where: held, transaction }) : 0;
      const rows = await RightsRequest.findAll({ where, attributes: ['id', 'file_id'], limit: 500, transaction });
      if (!rows.length) return { removed: 0, anonymized: 0, skipped };
      await RightsRequest.update({ file_id: null, download_token_hash: null }, { where: { id: rows.map((r) => r.id) }, transaction });
      const remove = async () => {
        for (const r of rows) if (r.file_id) await ctx.files.private.remove(r.file_id);
      };
      // Files go only if the change commits (a dry run rolls it back and keeps them).
      if (transaction) afterCommit(transaction, remove);
      else await remove();
      return { removed: rows.length, anonymized: 0, skipped };
    },
  });

  ctx.privacy.retention('closed-requests', {
    label: 'Answered and refused rights requests: the address is shredded, the record stays',
    defaultDays: 3 * 365,
    legalBasis: 'legal_obligation',
    async apply(cutoff, transaction, scope) {
      const { where, held } = retentionWhere({ status: ['completed', 'rejected'], erased_at: null, updated_at: { [Op.lt]: cutoff }, kind: { [Op.ne]: 'objection' } }, scope, { user: 'user_id', email: 'email' });
      const skipped = held ? await RightsRequest.count({ where: held, transaction }) : 0;
      const [anonymized] = await RightsRequest.update({ email: SHREDDED_EMAIL, erased_at: new Date() }, { where, transaction });
      return { removed: 0, anonymized, skipped };
    },
  });

  ctx.privacy.processing({
    data: ['email address', 'account', 'which right was exercised and how it was answered'],
    purpose: 'Answer requests to exercise data protection rights (access, portability, erasure, objection, correction) and prove they were answered',
    legalBasis: 'legal_obligation',
    recipients: [],
    retention: 'gdpr.closed-requests (3 years by default; the address is then shredded); unconfirmed requests: gdpr.unverified-requests',
  });
  ctx.privacy.processing({
    data: ['a keyed fingerprint of the email address of people who objected'],
    purpose: 'Keep honouring an objection to marketing (no marketing email is sent to the address)',
    legalBasis: 'legal_obligation',
    recipients: [],
    retention: 'As long as marketing is sent',
  });
}

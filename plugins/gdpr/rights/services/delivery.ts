import { Op } from 'sequelize';
import type { Person } from '@agora/core';
import { RightsRequest } from '../models/rights-request';
import type { RightsDeps } from './deps';
import { buildArchive, exportDocument } from '../export/archive';
import { storeInfo } from './store-info';
import { newLinkToken, tokenHash, isLinkToken } from './secrets';
import { isoMinute } from './legal-clock';

/** The archive of one person's data (every active plugin's exporter, through core's privacy registry). */
export async function archiveFor(deps: RightsDeps, person: Person): Promise<{ buffer: Buffer; name: string }> {
  const result = await deps.ctx.platform.privacy.exportPerson(person);
  const doc = exportDocument(result, person, storeInfo(deps.ctx));
  return { buffer: await buildArchive(doc), name: `personal-data-${doc.generated_at.slice(0, 10)}.zip` };
}

/**
 * Prepares an accepted access request's answer: the archive is kept as a private file and the person gets
 * a link that works once, until the export days run out; the file is deleted after the download or then.
 */
export async function deliverExport(deps: RightsDeps, request: RightsRequest, now = new Date()): Promise<{ fileId: string; tokenHash: string; expires: Date; raw: string }> {
  const { ctx } = deps;
  const archive = await archiveFor(deps, { email: request.email, userId: request.user_id ?? undefined });
  const expires = new Date(now.getTime() + deps.settings().rightsExportDays * 86_400_000);
  const file = await ctx.files.private.save(archive.buffer, { name: archive.name, type: 'application/zip', expiresAt: expires });
  const token = newLinkToken();
  return { fileId: file.id, tokenHash: token.hash, expires, raw: token.raw };
}

export function downloadMail(deps: RightsDeps, request: RightsRequest, raw: string, expires: Date) {
  return {
    to: request.email,
    userId: request.user_id ?? undefined,
    subject: 'Your data is ready to download',
    template: 'gdpr/rights/mail/export-ready',
    data: { link: `${deps.ctx.config.baseUrl}/privacy/rights/download/${raw}`, expires: isoMinute(expires) },
  };
}

export type DownloadClaim = { ok: true; fileId: string } | { ok: false; reason: 'invalid' | 'used' | 'expired' };

/** Uses a download link: a conditional update marks it downloaded, so it works once even when clicked twice at once. */
export async function claimDownload(raw: unknown, now = new Date()): Promise<DownloadClaim> {
  if (!isLinkToken(raw)) return { ok: false, reason: 'invalid' };
  const request = await RightsRequest.findOne({ where: { download_token_hash: tokenHash(raw) } });
  if (!request) return { ok: false, reason: 'invalid' };
  if (request.downloaded_at || !request.file_id) return { ok: false, reason: 'used' };
  if (!request.download_expires_at || request.download_expires_at.getTime() < now.getTime()) return { ok: false, reason: 'expired' };
  const [n] = await RightsRequest.update({ downloaded_at: now }, { where: { id: request.id, downloaded_at: null, download_expires_at: { [Op.gt]: now } } });
  return n === 1 ? { ok: true, fileId: request.file_id } : { ok: false, reason: 'used' };
}

/** Deletes the archives of links that were used or ran out (a scheduled job); returns how many files went. */
export async function removeSpentExports(deps: RightsDeps, now = new Date()): Promise<number> {
  const spent = await RightsRequest.findAll({
    where: { file_id: { [Op.ne]: null }, [Op.or]: [{ downloaded_at: { [Op.ne]: null } }, { download_expires_at: { [Op.lt]: now } }] },
    attributes: ['id', 'file_id'],
    limit: 200,
  });
  let n = 0;
  for (const r of spent) {
    if (r.file_id) await deps.ctx.files.private.remove(r.file_id);
    const [done] = await RightsRequest.update({ file_id: null }, { where: { id: r.id, file_id: r.file_id } });
    n += done;
  }
  return n;
}

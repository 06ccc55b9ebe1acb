import { Op, UniqueConstraintError } from 'sequelize';
import type { PluginContext } from '@agora/core';
import { ReencryptionRun } from './reencryption-run';

declare module '@agora/core' {
  interface JobMap {
    'gdpr.security.reencrypt': { runId: number };
  }
}

/** A run still "running" after this long was cut off (the process stopped): it no longer blocks a new one. */
const STALE_MS = 60 * 60 * 1000;

export type ReencryptionRequest = { run: ReencryptionRun; started: true } | { run: ReencryptionRun; started: false };

/**
 * Queues one re-encryption (the job runs it). Only one is under way at a time: the unique `active` slot is
 * the claim, so two admins pressing the button at once get one run, and the second is shown the first.
 */
export async function requestReencryption(ctx: PluginContext, actorId: number): Promise<ReencryptionRequest> {
  await releaseStale();
  try {
    const run = await ctx.sequelize.transaction(async (tx) => {
      const created = await ReencryptionRun.create({ status: 'queued', active: 1, key_id: ctx.privacy.encryption.keyring.currentId, actor_id: actorId, requested_at: new Date() }, { transaction: tx });
      await ctx.jobs.enqueue('gdpr.security.reencrypt', { runId: created.id }, { tx });
      return created;
    });
    return { run, started: true };
  } catch (error) {
    if (!(error instanceof UniqueConstraintError)) throw error;
    const run = await ReencryptionRun.findOne({ where: { active: 1 } });
    if (!run) throw error;
    return { run, started: false };
  }
}

/** The job: claims its run (queued → running) once, rewrites every stale value, records the outcome. */
export async function runReencryption(ctx: PluginContext, runId: number): Promise<void> {
  const [claimed] = await ReencryptionRun.update({ status: 'running', started_at: new Date() }, { where: { id: runId, status: 'queued' } });
  if (claimed === 0) return;
  try {
    const outcome = await ctx.privacy.encryption.reencrypt();
    await ReencryptionRun.update(
      { status: 'done', active: null, finished_at: new Date(), total: outcome.total, report: JSON.stringify({ rewritten: outcome.rewritten, retired: outcome.retired }) },
      { where: { id: runId } },
    );
    ctx.log.info({ runId, total: outcome.total, retired: outcome.retired }, 'personal fields re-encrypted with the current data key');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await ReencryptionRun.update({ status: 'failed', active: null, finished_at: new Date(), error: message.slice(0, 500) }, { where: { id: runId } });
    ctx.log.error({ err: error, runId }, 're-encryption failed');
  }
}

async function releaseStale(): Promise<void> {
  await ReencryptionRun.update(
    { status: 'failed', active: null, finished_at: new Date(), error: 'Interrupted (the server stopped while it ran); start it again.' },
    { where: { status: 'running', started_at: { [Op.lt]: new Date(Date.now() - STALE_MS) } } },
  );
}

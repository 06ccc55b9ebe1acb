import type { PluginContext } from '@agora/core';
import { adminGuard } from '../rights/routes/guard';
import { ReencryptionRun } from './reencryption-run';
import { requestReencryption } from './reencryption';

export const SECURITY_CAPABILITY = 'gdpr.security.manage';

/** Security of processing (/admin/privacy/security): which fields are encrypted, with which keys, and re-encryption. */
export function adminSecurityRoutes(ctx: PluginContext): void {
  const guard = adminGuard(ctx, SECURITY_CAPABILITY);
  const encryption = ctx.privacy.encryption;

  ctx.router.get('/admin/privacy/security', ...guard, async (_req, res) => {
    const fields = await encryption.status();
    const current = encryption.keyring.currentId;
    const rowsByKey: Record<string, number> = {};
    for (const f of fields) for (const [kid, n] of Object.entries(f.byKey)) rowsByKey[kid] = (rowsByKey[kid] ?? 0) + n;
    const keyIds = [...new Set([...encryption.keyring.ids(), ...encryption.usedKeyIds(), ...Object.keys(rowsByKey)])];
    const keys = keyIds.map((id) => ({ id, current: id === current, configured: encryption.keyring.has(id), rows: rowsByKey[id] ?? 0 }));
    const rows = fields.map((f) => ({
      owner: f.owner,
      field: `${f.model}.${f.attribute}`,
      column: `${f.table}.${f.column}`,
      current: f.byKey[current] ?? 0,
      older: Object.entries(f.byKey).reduce((n, [kid, c]) => (kid === current ? n : n + c), 0),
      plain: f.plain,
    }));
    const stale = fields.reduce((n, f) => n + f.stale, 0);
    const runs = await ReencryptionRun.findAll({ order: [['id', 'DESC']], limit: 10 });
    const active = runs.find((r) => r.active === 1) ?? null;
    await res.renderPage('gdpr/security/security', { title: 'Security of processing', keys, rows, stale, runs, active, current });
  });

  ctx.router.post('/admin/privacy/security/reencrypt', ...guard, async (req, res) => {
    const { run, started } = await requestReencryption(ctx, req.user!.id);
    res.flash(started ? 'success' : 'info', started ? `Re-encryption #${run.id} started: every value not written with key ${run.key_id} is rewritten in batches.` : `Re-encryption #${run.id} is already under way; nothing new was started.`);
    res.redirect(303, '/admin/privacy/security');
  });
}

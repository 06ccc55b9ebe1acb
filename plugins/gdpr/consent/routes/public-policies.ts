import { notFound, raw, type PluginContext } from '@agora/core';
import { Policy, PolicyVersion } from '../models';
import { listPolicies } from '../policies';
import { policyHtml } from '../policy-html';
import { cookieRows } from '../cookies/cookie-list';
import { categoryViews } from '../cookies/categories';
import { storeFacts } from '../policy-texts';
import type { ThirdPartyCookies } from '../cookies/third-party';
import type { ConsentSettings } from '../settings';

/** `/privacy/policies` and `/privacy/policies/:slug?version=N`: every version stays readable. */
export function publicPolicyRoutes(ctx: PluginContext, settings: () => ConsentSettings, thirdParty: ThirdPartyCookies): void {
  ctx.router.get('/privacy/policies', async (_req, res) => {
    await res.renderPage('gdpr/policies/index', { title: 'Policies', policies: await listPolicies() });
  });

  ctx.router.get('/privacy/policies/:slug', async (req, res) => {
    const policy = await Policy.findOne({ where: { slug: String(req.params.slug) } });
    if (!policy) throw notFound('policy');
    const asked = typeof req.query.version === 'string' && /^\d{1,6}$/.test(req.query.version) ? Number(req.query.version) : policy.current_version;
    const version = await PolicyVersion.findOne({ where: { policy_id: policy.id, version: asked } });
    if (!version) throw notFound('version');
    const versions = await PolicyVersion.findAll({ where: { policy_id: policy.id }, attributes: ['version', 'created_at'], order: [['version', 'DESC']] });
    // The Cookie Policy lists the cookies declared now, so it follows every change of the declarations.
    const cookies =
      policy.kind === 'cookies'
        ? { cookieRows: cookieRows(ctx, thirdParty, storeFacts(ctx).storeName), gdprCategories: categoryViews(settings(), [], false) }
        : null;
    await res.renderPage('gdpr/policies/show', {
      title: version.title,
      policy,
      version,
      versions,
      isCurrent: version.version === policy.current_version,
      bodyHtml: raw(policyHtml(version.body)),
      cookies,
    });
  });
}

import type { Request, Response } from 'express';
import { z } from 'zod';
import { notFound, parseForm, type FieldErrors, type PluginContext } from '@agora/core';
import { Policy, PolicyVersion } from '../models';
import { createPolicy, listPolicies, updatePolicy, currentVersionOf } from '../policies';
import { adminGuard } from './admin-guard';

const textFields = {
  title: z.string().trim().min(1, 'Give the policy a title').max(200, 'At most 200 characters'),
  body: z.string().trim().min(1, 'Write the text of the policy').max(100_000, 'At most 100,000 characters'),
};
const createSchema = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{1,78}$/, 'Use 2 to 79 lower-case letters, digits and dashes, such as returns-policy'),
  ...textFields,
});
const editSchema = z.object({ ...textFields, changes: z.string().trim().max(2000, 'At most 2,000 characters').default('') });

/** `/admin/privacy/policies`: any number of documents; each change of a text is a new version. */
export function adminPolicyRoutes(ctx: PluginContext): void {
  const guard = adminGuard(ctx);

  const listPage = async (res: Response, errors: FieldErrors = {}, values: Record<string, unknown> = {}, status = 200) => {
    await res.renderPage('gdpr/admin/policies', { title: 'Policies', policies: await listPolicies(), errors, values }, status);
  };
  const editPage = async (res: Response, policy: Policy, errors: FieldErrors = {}, values?: Record<string, unknown>, status = 200) => {
    const current = await currentVersionOf(policy);
    const versions = await PolicyVersion.findAll({ where: { policy_id: policy.id }, order: [['version', 'DESC']], attributes: ['version', 'title', 'created_at', 'changes'] });
    await res.renderPage('gdpr/admin/policy-edit', { title: `Edit: ${policy.title}`, policy, versions, errors, values: values ?? { title: current.title, body: current.body, changes: '' } }, status);
  };
  const policyOf = async (req: Request) => {
    const id = Number(req.params.id);
    const policy = Number.isInteger(id) ? await Policy.findByPk(id) : null;
    if (!policy) throw notFound('policy');
    return policy;
  };

  ctx.router.get('/admin/privacy/policies', ...guard, async (_req, res) => listPage(res));

  ctx.router.post('/admin/privacy/policies', ...guard, async (req, res) => {
    const parsed = parseForm(createSchema, req.body);
    if (!parsed.ok) return listPage(res, parsed.errors, req.body as Record<string, unknown>, 422);
    if (await Policy.findOne({ where: { slug: parsed.data.slug } })) return listPage(res, { slug: 'Another policy has this address; choose another.' }, req.body as Record<string, unknown>, 422);
    try {
      await ctx.sequelize.transaction(() => createPolicy({ ...parsed.data, kind: 'custom' }));
    } catch (error) {
      // Two identical submits at once: the unique slug lets one through.
      if ((error as { name?: string }).name === 'SequelizeUniqueConstraintError') return listPage(res, { slug: 'Another policy has this address; choose another.' }, req.body as Record<string, unknown>, 422);
      throw error;
    }
    res.flash('success', `${parsed.data.title} is published (version 1).`);
    res.redirect(303, '/admin/privacy/policies');
  });

  ctx.router.get('/admin/privacy/policies/:id', ...guard, async (req, res) => editPage(res, await policyOf(req)));

  ctx.router.post('/admin/privacy/policies/:id', ...guard, async (req, res) => {
    const policy = await policyOf(req);
    const parsed = parseForm(editSchema, req.body);
    if (!parsed.ok) return editPage(res, policy, parsed.errors, req.body as Record<string, unknown>, 422);
    let outcome: { newVersion: number | null };
    try {
      outcome = await ctx.sequelize.transaction(() => updatePolicy(policy, parsed.data));
    } catch (error) {
      if ((error as Error).message !== 'stale' && (error as { name?: string }).name !== 'SequelizeUniqueConstraintError') throw error;
      return editPage(res, (await Policy.findByPk(policy.id)) ?? policy, { form: 'Someone saved this policy meanwhile. Check the text below and save again.' }, req.body as Record<string, unknown>, 409);
    }
    res.flash('success', outcome.newVersion ? `Version ${outcome.newVersion} is published; people who accepted an earlier one are asked again at their next login.` : 'The text did not change: no new version. Marked as reviewed.');
    res.redirect(303, `/admin/privacy/policies/${policy.id}`);
  });

  ctx.router.post('/admin/privacy/policies/:id/reviewed', ...guard, async (req, res) => {
    const policy = await policyOf(req);
    await Policy.update({ reviewed_at: new Date() }, { where: { id: policy.id } });
    res.flash('success', `${policy.title} is marked as reviewed.`);
    res.redirect(303, `/admin/privacy/policies/${policy.id}`);
  });
}

import type { Request, Response } from 'express';
import { z } from 'zod';
import { notFound, parseForm, type FieldErrors, type PluginContext } from '@agora/core';
import { Policy, SectionPolicy } from '../models';
import { listPolicies } from '../policies';
import { sectionLabel, UNEXTENDED } from '../section-labels';
import { adminGuard } from './admin-guard';

const addSchema = z.object({
  section: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{1,98}$/, 'Choose a form'),
  policy_id: z.coerce.number({ message: 'Choose a policy' }).int().positive('Choose a policy'),
  required: z.preprocess((v) => v === 'on' || v === '1' || v === 'true', z.boolean()),
});
const moveSchema = z.object({ direction: z.enum(['up', 'down'], 'Move up or down') });
const requiredSchema = z.object({ required: z.enum(['0', '1'], 'Choose required or optional') });

/**
 * `/admin/privacy/sections`: for every form section core knows now (a plugin declaring one later appears by
 * itself), which policies it shows, each required or optional, in order (move up / move down are buttons).
 */
export function adminSectionRoutes(ctx: PluginContext): void {
  const guard = adminGuard(ctx);

  const page = async (res: Response, fieldErrors: FieldErrors = {}, status = 200) => {
    // The forms on this page are small rows of buttons: a refusal is said once, at the top.
    const first = Object.values(fieldErrors)[0];
    const errors: FieldErrors = first ? { form: first } : {};
    const known = ctx.forms.sections().filter((s) => !UNEXTENDED.has(s.name));
    const links = await SectionPolicy.findAll({ order: [['section', 'ASC'], ['position', 'ASC'], ['id', 'ASC']] });
    const policies = await listPolicies();
    const names = [...new Set([...known.map((s) => s.name), ...links.map((l) => l.section)])].sort();
    const sections = names.map((name) => {
      const declared = known.find((s) => s.name === name);
      return {
        name,
        label: sectionLabel(name, declared?.label),
        active: !!declared,
        owner: declared?.owner ?? null,
        links: links.filter((l) => l.section === name).map((l) => ({ link: l, policy: policies.find((p) => p.id === l.policy_id) })),
      };
    });
    await res.renderPage('gdpr/admin/sections', { title: 'Consent per form', sections, policies, errors }, status);
  };
  const linkOf = async (req: Request) => {
    const id = Number(req.params.id);
    const link = Number.isInteger(id) ? await SectionPolicy.findByPk(id) : null;
    if (!link) throw notFound('section policy');
    return link;
  };

  ctx.router.get('/admin/privacy/sections', ...guard, async (_req, res) => page(res));

  ctx.router.post('/admin/privacy/sections', ...guard, async (req, res) => {
    const parsed = parseForm(addSchema, req.body);
    if (!parsed.ok) return page(res, parsed.errors, 422);
    const { section, policy_id, required } = parsed.data;
    if (UNEXTENDED.has(section) || (!ctx.forms.sections().some((s) => s.name === section) && !(await SectionPolicy.findOne({ where: { section } })))) return page(res, { section: 'Choose one of the forms listed.' }, 422);
    const policy = await Policy.findByPk(policy_id);
    if (!policy) return page(res, { policy_id: 'Choose a policy' }, 422);
    if (await SectionPolicy.findOne({ where: { section, policy_id } })) return page(res, { policy_id: `${policy.title} is already shown in this form.` }, 422);
    try {
      await ctx.sequelize.transaction(async () => {
        const last = (await SectionPolicy.max<number, SectionPolicy>('position', { where: { section } })) ?? 0;
        await SectionPolicy.create({ section, policy_id, required, position: last + 1 });
      });
    } catch (error) {
      if ((error as { name?: string }).name !== 'SequelizeUniqueConstraintError') throw error;
      return page(res, { policy_id: `${policy.title} is already shown in this form.` }, 422);
    }
    res.flash('success', `${policy.title} is now shown in ${sectionLabel(section)} (${required ? 'required' : 'optional'}).`);
    res.redirect(303, `/admin/privacy/sections#section-${section}`);
  });

  ctx.router.post('/admin/privacy/sections/:id/move', ...guard, async (req, res) => {
    const link = await linkOf(req);
    const parsed = parseForm(moveSchema, req.body);
    if (!parsed.ok) return page(res, parsed.errors, 422);
    await ctx.sequelize.transaction(async () => {
      const list = await SectionPolicy.findAll({ where: { section: link.section }, order: [['position', 'ASC'], ['id', 'ASC']] });
      const at = list.findIndex((l) => l.id === link.id);
      const to = parsed.data.direction === 'up' ? at - 1 : at + 1;
      if (at < 0 || to < 0 || to >= list.length) return;
      [list[at], list[to]] = [list[to], list[at]];
      for (const [i, l] of list.entries()) if (l.position !== i + 1) await SectionPolicy.update({ position: i + 1 }, { where: { id: l.id } });
    });
    res.redirect(303, `/admin/privacy/sections#link-${link.id}`);
  });

  ctx.router.post('/admin/privacy/sections/:id/required', ...guard, async (req, res) => {
    const link = await linkOf(req);
    const parsed = parseForm(requiredSchema, req.body);
    if (!parsed.ok) return page(res, parsed.errors, 422);
    await SectionPolicy.update({ required: parsed.data.required === '1' }, { where: { id: link.id } });
    res.redirect(303, `/admin/privacy/sections#link-${link.id}`);
  });

  ctx.router.post('/admin/privacy/sections/:id/remove', ...guard, async (req, res) => {
    const link = await linkOf(req);
    await SectionPolicy.destroy({ where: { id: link.id } });
    res.flash('success', 'The policy is no longer shown in that form.');
    res.redirect(303, `/admin/privacy/sections#section-${link.section}`);
  });
}

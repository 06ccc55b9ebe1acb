import type { Response } from 'express';
import { z } from 'zod';
import { notFound, parseForm, type FieldErrors, type PluginContext } from '@agora/core';
import { ThirdPartyCookie } from '../models';
import type { ThirdPartyCookies } from '../cookies/third-party';
import { cookieRows } from '../cookies/cookie-list';
import { categoryLabel } from '../cookies/categories';
import { storeFacts } from '../policy-texts';
import { adminGuard } from './admin-guard';

const CATEGORIES = ['statistics', 'preferences', 'marketing', 'necessary'] as const;

const cookieSchema = z.object({
  name: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'Letters, digits, dots, dashes and underscores, as the cookie is named'),
  provider: z.string().trim().min(1, 'Name the provider (who sets it)').max(200),
  purpose: z.string().trim().min(1, 'Say what it is for').max(500),
  duration: z.string().trim().min(1, 'Say how long it lasts (such as 13 months)').max(100),
  category: z.enum(CATEGORIES, 'Choose a category'),
});

/** `/admin/privacy/cookies`: every declared cookie, and the admin's third-party ones (added, removed). */
export function adminCookieRoutes(ctx: PluginContext, thirdParty: ThirdPartyCookies): void {
  const guard = adminGuard(ctx);
  const page = async (res: Response, errors: FieldErrors = {}, values: Record<string, unknown> = {}, status = 200) => {
    await res.renderPage(
      'gdpr/admin/cookies',
      {
        title: 'Cookies',
        rows: cookieRows(ctx, thirdParty, storeFacts(ctx).storeName),
        thirdParty: thirdParty.list(),
        categories: CATEGORIES.map((c) => ({ value: c, label: categoryLabel(c) })),
        categoryLabel,
        errors,
        values,
      },
      status,
    );
  };

  ctx.router.get('/admin/privacy/cookies', ...guard, async (_req, res) => page(res));

  ctx.router.post('/admin/privacy/cookies', ...guard, async (req, res) => {
    const parsed = parseForm(cookieSchema, req.body);
    if (!parsed.ok) return page(res, parsed.errors, req.body as Record<string, unknown>, 422);
    if (ctx.assets.declared().cookies.some((c) => c.name === parsed.data.name) || ['agora.sid', 'agora.csrf'].includes(parsed.data.name)) {
      return page(res, { name: 'A cookie of this name is already declared.' }, req.body as Record<string, unknown>, 422);
    }
    await ThirdPartyCookie.create(parsed.data);
    await thirdParty.sync();
    res.flash('success', `${parsed.data.name} is declared; visitors are asked again about cookies.`);
    res.redirect(303, '/admin/privacy/cookies');
  });

  ctx.router.post('/admin/privacy/cookies/:id/remove', ...guard, async (req, res) => {
    const id = Number(req.params.id);
    const row = Number.isInteger(id) ? await ThirdPartyCookie.findByPk(id) : null;
    if (!row) throw notFound('cookie');
    await row.destroy();
    await thirdParty.sync();
    res.flash('success', `${row.name} is no longer declared.`);
    res.redirect(303, '/admin/privacy/cookies');
  });
}

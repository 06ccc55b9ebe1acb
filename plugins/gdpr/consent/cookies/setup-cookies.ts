import type { Request } from 'express';
import { z } from 'zod';
import type { ConsentCategory, PluginContext } from '@agora/core';
import type { ConsentService } from '../service';
import type { ConsentSettings } from '../settings';
import { CONSENT_COOKIE, encodeChoice, newConsentId } from './consent-cookie';
import { categoryViews, GPC_REFUSED } from './categories';
import { declarationsHash, rememberChoice, visitorConsent, type VisitorConsent } from './visitor';
import { cookieRows } from './cookie-list';
import type { ThirdPartyCookies } from './third-party';
import { storeFacts } from '../policy-texts';

const choiceSchema = z.object({
  choice: z.enum(['accept', 'reject', 'save'], 'Choose Accept all, Reject all or Save choices'),
  gdpr_category: z.union([z.string(), z.array(z.string())]).optional(),
  return_to: z.string().max(2000).optional(),
  template: z.string().regex(/^[a-z0-9/_.-]{1,120}$/).optional(),
});

/** Only a path on this site: never `//evil.example` or an absolute address. */
function safeReturn(value: string | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}

/**
 * Cookies with real prior consent: the banner (a plain form, in the server-rendered page), the consent cookie,
 * core's consent filters (so the guard refuses what was not consented and the page carries no script of a
 * refused category), Global Privacy Control, `/privacy/cookies`, and the banner's choice in the register.
 */
export function setupCookies(ctx: PluginContext, settings: () => ConsentSettings, service: ConsentService, thirdParty: ThirdPartyCookies): void {
  const decided = (req: Request): VisitorConsent => visitorConsent(ctx, req, settings().consentMonths);

  ctx.assets.cookie({ name: CONSENT_COOKIE, purpose: 'Remembers your cookie choice and its random consent id.', consent: 'necessary', duration: 'the consent period (6 months by default)' });
  ctx.assets.script({ src: '/plugins/gdpr/consent.js', consent: 'necessary' });

  ctx.hooks.filter('core.consent.categories', (categories, req) => {
    for (const category of decided(req).allowed) categories.add(category);
    return categories;
  });
  ctx.hooks.filter('core.consent.allows', (allowed, category, req) => {
    const visitor = decided(req);
    if (visitor.gpc && GPC_REFUSED.has(category)) return false;
    return allowed && visitor.allowed.has(category);
  });

  ctx.http.use('early', (req, res, next) => {
    // The page differs with the privacy signal: caches must keep the two apart.
    res.vary('Sec-GPC');
    const visitor = decided(req);
    res.locals.gdprCookies = { ask: visitor.ask, gpc: visitor.gpc };
    next();
  });

  ctx.slot('core.head', () => ({ html: '<link rel="stylesheet" href="/plugins/gdpr/consent.css">' }));
  ctx.slot('core.before_content', ({ locals, template }) => {
    const state = locals.gdprCookies as { ask: boolean; gpc: boolean } | undefined;
    if (!state?.ask || template === 'gdpr/cookies/page') return undefined;
    return {
      template: 'gdpr/partials/cookie-banner',
      data: bannerData(state.gpc, String(locals.currentPath ?? '/'), template, settings()),
    };
  });

  const bannerData = (gpc: boolean, returnTo: string, template: string, s: ConsentSettings) => ({
    gdprCategories: categoryViews(s, categoriesInUse(), gpc),
    gdprGpc: gpc,
    gdprWall: s.cookieWall,
    gdprReturn: returnTo,
    gdprTemplate: template,
  });
  const categoriesInUse = (): ConsentCategory[] => {
    const { cookies, scripts } = ctx.assets.declared();
    return [...new Set([...cookies.map((c) => c.consent), ...scripts.map((s) => s.consent)])];
  };

  ctx.router.get('/privacy/cookies', async (req, res) => {
    const visitor = decided(req);
    const s = settings();
    const rows = cookieRows(ctx, thirdParty, storeFacts(ctx).storeName);
    await res.renderPage('gdpr/cookies/page', {
      title: 'Cookies',
      ...bannerData(visitor.gpc, '/privacy/cookies', 'gdpr/cookies/page', s),
      gdprChosen: visitor.choice ? [...visitor.allowed] : null,
      gdprChosenAt: visitor.choice ? new Date(visitor.choice.issuedAt * 1000).toISOString() : null,
      gdprConsentId: visitor.choice?.id ?? null,
      cookieRows: rows,
    });
  });

  // Each choice is a register row: a generous limit for people, a wall for a script filling the register.
  const limit = ctx.http.rateLimit('cookie-choice', { windowMs: 10 * 60 * 1000, limit: 60 });
  ctx.router.post('/privacy/cookies/consent', limit, async (req, res) => {
    const parsed = choiceSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(422);
      if (wantsJson(req)) return res.json({ error: 'Choose Accept all, Reject all or Save choices.' });
      res.flash('error', 'Choose Accept all, Reject all or Save choices.');
      return res.redirect(303, '/privacy/cookies');
    }
    const visitor = decided(req);
    const optional = categoryViews(settings(), categoriesInUse(), visitor.gpc).filter((c) => !c.locked);
    const ticked = new Set(([] as string[]).concat(parsed.data.gdpr_category ?? []));
    const chosen = optional.filter((c) => (parsed.data.choice === 'accept' ? true : parsed.data.choice === 'save' ? ticked.has(c.id) : false));
    // The privacy signal is a refusal the banner cannot override.
    const accepted = ['necessary', ...chosen.filter((c) => !(visitor.gpc && GPC_REFUSED.has(c.id))).map((c) => c.id)].sort();
    const before = visitor.allowed;
    const id = visitor.choice?.id ?? newConsentId();
    const issuedAt = Math.floor(Date.now() / 1000);
    const months = settings().consentMonths;
    res.cookie(CONSENT_COOKIE, encodeChoice(ctx.config.sessionSecret, { id, categories: accepted, issuedAt, declarations: declarationsHash(ctx) }), {
      maxAge: months * 31 * 24 * 3600 * 1000,
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
    });
    const allowed = new Set(accepted as ConsentCategory[]);
    rememberChoice(req, { choice: { id, categories: accepted, issuedAt, declarations: declarationsHash(ctx) }, gpc: visitor.gpc, allowed, ask: false });

    // Withdrawn categories: their cookies go now.
    const jar = (req as Request & { cookies?: Record<string, unknown> }).cookies ?? {};
    for (const cookie of ctx.assets.declared().cookies) {
      if (cookie.consent !== 'necessary' && !allowed.has(cookie.consent) && cookie.name in jar) res.clearCookie(cookie.name, { path: '/' });
    }

    await service.record(
      [{ action: accepted.length > 1 ? 'accepted' : 'withdrawn', section: 'cookies', categories: accepted }],
      { userId: req.user?.id ?? null, email: req.user?.email ?? null, displayName: req.user?.display_name ?? null },
      service.traceOf(req, id),
    );

    const template = parsed.data.template ?? '';
    if (wantsJson(req)) {
      const scripts = ctx.assets
        .declared()
        .scripts.filter((s) => s.consent !== 'necessary' && allowed.has(s.consent) && !before.has(s.consent) && (!s.templates || template.startsWith(s.templates)))
        .map((s) => s.src);
      const narrowed = [...before].some((c) => !allowed.has(c));
      return res.json({ categories: accepted, scripts, reload: narrowed });
    }
    res.flash('success', accepted.length > 1 ? 'Your cookie choice is saved.' : 'Only strictly necessary cookies will be used.');
    res.redirect(303, safeReturn(parsed.data.return_to));
  });
}

function wantsJson(req: Request): boolean {
  return (req.get('accept') ?? '').includes('application/json');
}


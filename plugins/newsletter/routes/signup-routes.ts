import type { Request, Response } from 'express';
import { UniqueConstraintError } from 'sequelize';
import type { FieldErrors, PluginContext } from '@agora/core';
import { signupSchema } from '../forms/signup-form';
import type { Subscriptions } from '../services/subscriptions';
import type { NewsletterSettings } from '../settings';

const SECTION = 'newsletter.signup';
const HOUR = 3600_000;

/** `/newsletter`: the signup form (also posted from the footer), "check your inbox", and the confirmation link. */
export function signupRoutes(ctx: PluginContext, subscriptions: Subscriptions, settings: () => NewsletterSettings): void {
  const { router } = ctx;
  const limit = ctx.http.rateLimit('signup', { windowMs: HOUR, limit: () => settings().signupLimitPerHour });

  const page = async (req: Request, res: Response, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) => {
    const formSections = await ctx.forms.render(SECTION, { req, context: { viewer: req.user ?? null }, body: req.method === 'POST' ? req.body : undefined, errors });
    const { listName, pitch } = settings();
    await res.renderPage('newsletter/signup', { title: listName, listName, pitch, values, errors, formSections }, status);
  };

  router.get('/newsletter', async (req, res) => page(req, res, { email: req.user?.email ?? '' }));

  router.post('/newsletter', limit, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { email: typeof body.email === 'string' ? body.email.slice(0, 320) : '' };
    const parsed = await ctx.forms.parse(SECTION, signupSchema, body, { req, context: { viewer: req.user ?? null } });
    if (!parsed.ok) return page(req, res, values, parsed.errors, 422);
    const { data, sections } = parsed;
    // A bot filled the hidden field: it gets the same answer, and nobody gets mail.
    if (data.website) return res.redirect(303, '/newsletter/sent');
    try {
      await ctx.sequelize.transaction(async (tx) => {
        const { subscriber } = await subscriptions.signup({ email: data.email, source: data.source, ip: req.ip ?? null, userId: req.user && req.user.email === data.email ? req.user.id : null });
        await ctx.forms.commit(SECTION, tx, sections, req, { subscriberId: subscriber.id, email: data.email });
      });
    } catch (error) {
      const refused = ctx.forms.refusal(error);
      if (refused) return page(req, res, values, refused, 422);
      // The same address sent twice at once: the other request wrote the row and sent the link.
      if (!(error instanceof UniqueConstraintError)) throw error;
    }
    res.redirect(303, '/newsletter/sent');
  });

  // The same page for every address, subscribed or not, so the form tells nobody who is on the list.
  router.get('/newsletter/sent', async (_req, res) => {
    await res.renderPage('newsletter/sent', { title: 'Check your inbox', listName: settings().listName, hours: settings().confirmHours });
  });

  const problem = async (res: Response, reason: 'invalid' | 'expired' | 'used') => {
    const status = reason === 'expired' ? 410 : reason === 'used' ? 409 : 400;
    await res.renderPage('newsletter/link-problem', { title: reason === 'expired' ? 'This link has expired' : 'This link cannot be used', reason, listName: settings().listName, showForm: true, values: {}, errors: {} }, status);
  };

  // Opening the link shows a button rather than confirming: mail scanners open links too, and must not subscribe anyone.
  router.get('/newsletter/confirm', async (req, res) => {
    const link = await subscriptions.linkState(req.query.token);
    if (link.state === 'already') return res.renderPage('newsletter/confirmed', { title: 'You are subscribed', listName: settings().listName, already: true });
    if (link.state !== 'ready') return problem(res, link.state);
    await res.renderPage('newsletter/confirm', { title: 'Confirm your subscription', listName: settings().listName, token: String(req.query.token), email: link.email });
  });

  router.post('/newsletter/confirm', async (req, res) => {
    const token = (req.body as Record<string, unknown> | undefined)?.token;
    const { outcome } = await subscriptions.confirm(token, req.ip ?? null);
    if (outcome === 'confirmed' || outcome === 'already') {
      return res.renderPage('newsletter/confirmed', { title: 'You are subscribed', listName: settings().listName, already: outcome === 'already' });
    }
    return problem(res, outcome);
  });
}

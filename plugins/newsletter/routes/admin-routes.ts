import type { Request, RequestHandler, Response } from 'express';
import { Op, type WhereOptions } from 'sequelize';
import { csvRow, forbidden, notFound, pageFrom, pager, parseForm, type FieldErrors, type PluginContext } from '@agora/core';
import { NewsletterCampaign, NewsletterEvent, NewsletterSubscriber } from '../models';
import { SUBSCRIBER_STATUSES, type SubscriberStatus } from '../models/subscriber';
import { campaignSchema } from '../forms/signup-form';
import { CampaignAlreadyStarted, paragraphs, type Campaigns } from '../services/campaigns';

export const MANAGE = 'newsletter.manage';
const PER_PAGE = 50;

/** `/admin/newsletter`: subscribers (with the record of each), their CSV export, campaigns and their sending. */
export function adminRoutes(ctx: PluginContext, campaigns: Campaigns): void {
  const { router } = ctx;
  const guard: RequestHandler = (req, _res, next) => {
    ctx.capabilities
      .can(req.user, MANAGE)
      .then((ok) => next(ok ? undefined : forbidden()))
      .catch(next);
  };

  const filterOf = (req: Request): { status?: SubscriberStatus; q: string; where: WhereOptions<NewsletterSubscriber> } => {
    const status = SUBSCRIBER_STATUSES.find((s) => s === req.query.status);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().toLowerCase().slice(0, 100) : '';
    const where: WhereOptions<NewsletterSubscriber> = {
      ...(status ? { status } : {}),
      ...(q ? { email: { [Op.like]: `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } } : {}),
    };
    return { status, q, where };
  };

  router.get('/admin/newsletter', guard, async (req, res) => {
    const { status, q, where } = filterOf(req);
    const page = pageFrom(req.query, PER_PAGE);
    const { rows, count } = await NewsletterSubscriber.findAndCountAll({ where, order: [['id', 'DESC']], limit: page.perPage, offset: page.offset });
    const counts = Object.fromEntries(await Promise.all(SUBSCRIBER_STATUSES.map(async (s) => [s, await NewsletterSubscriber.count({ where: { status: s } })] as const)));
    const query = { ...(status ? { status } : {}), ...(q ? { q } : {}) };
    await res.renderPage('newsletter/admin/subscribers', {
      title: 'Newsletter subscribers',
      subscribers: rows,
      total: count,
      counts,
      status: status ?? '',
      q,
      csvHref: `/admin/newsletter/subscribers.csv${Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : ''}`,
      pager: pager('/admin/newsletter', req.query, { page: page.page, perPage: page.perPage, total: count, noun: 'subscribers' }),
    });
  });

  router.get('/admin/newsletter/subscribers.csv', guard, async (req, res) => {
    const { where } = filterOf(req);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="newsletter-subscribers-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.write(csvRow(['email', 'status', 'source', 'consented_at', 'confirmed_at', 'unsubscribed_at', 'created_at']));
    // Page through the list, so a large one is never held in memory at once.
    for (let lastId = 0; ; ) {
      const rows = await NewsletterSubscriber.findAll({ where: { ...where, id: { [Op.gt]: lastId } } as WhereOptions<NewsletterSubscriber>, order: [['id', 'ASC']], limit: 500 });
      for (const s of rows) res.write(csvRow([s.email, s.status, s.source, s.consented_at, s.confirmed_at, s.unsubscribed_at, s.created_at]));
      if (rows.length < 500) break;
      lastId = rows[rows.length - 1].id;
    }
    res.end();
  });

  router.get('/admin/newsletter/subscribers/:id', guard, async (req, res) => {
    const subscriber = /^\d{1,10}$/.test(String(req.params.id)) ? await NewsletterSubscriber.findByPk(Number(req.params.id)) : null;
    if (!subscriber) throw notFound('subscriber');
    const events = await NewsletterEvent.findAll({ where: { subscriber_id: subscriber.id }, order: [['id', 'ASC']] });
    await res.renderPage('newsletter/admin/subscriber', { title: subscriber.email, subscriber, events });
  });

  const listPage = async (res: Response, values: Record<string, unknown> = {}, errors: FieldErrors = {}, status = 200) => {
    const list = await NewsletterCampaign.findAll({ order: [['id', 'DESC']], limit: 100 });
    await res.renderPage('newsletter/admin/campaigns', { title: 'Newsletter campaigns', campaigns: list, recipients: await campaigns.recipientsNow(), values, errors }, status);
  };

  router.get('/admin/newsletter/campaigns', guard, async (_req, res) => listPage(res));

  router.post('/admin/newsletter/campaigns', guard, async (req, res) => {
    const parsed = parseForm(campaignSchema, req.body);
    if (!parsed.ok) return listPage(res, req.body as Record<string, unknown>, parsed.errors, 422);
    const campaign = await NewsletterCampaign.create({ subject: parsed.data.subject, body: parsed.data.body, status: 'draft', created_by: req.user!.id, started_at: null, finished_at: null });
    res.flash('success', 'Draft saved. Send yourself a test, then send it to your subscribers.');
    res.redirect(303, `/admin/newsletter/campaigns/${campaign.id}`);
  });

  const campaignOf = async (req: Request): Promise<NewsletterCampaign> => {
    const campaign = /^\d{1,10}$/.test(String(req.params.id)) ? await NewsletterCampaign.findByPk(Number(req.params.id)) : null;
    if (!campaign) throw notFound('campaign');
    return campaign;
  };

  const campaignPage = async (res: Response, campaign: NewsletterCampaign, values: Record<string, unknown> = {}, errors: FieldErrors = {}, status = 200) => {
    await res.renderPage(
      'newsletter/admin/campaign',
      {
        title: campaign.subject,
        campaign,
        paragraphs: paragraphs(campaign.body),
        progress: await campaigns.progress(campaign.id),
        recipients: await campaigns.recipientsNow(),
        values: { subject: campaign.subject, body: campaign.body, ...values },
        errors,
      },
      status,
    );
  };

  router.get('/admin/newsletter/campaigns/:id', guard, async (req, res) => campaignPage(res, await campaignOf(req)));

  router.get('/admin/newsletter/campaigns/:id/progress', guard, async (req, res) => {
    const campaign = await campaignOf(req);
    res.json(await campaigns.progress(campaign.id));
  });

  router.post('/admin/newsletter/campaigns/:id', guard, async (req, res) => {
    const campaign = await campaignOf(req);
    const parsed = parseForm(campaignSchema, req.body);
    if (!parsed.ok) return campaignPage(res, campaign, req.body as Record<string, unknown>, parsed.errors, 422);
    const [updated] = await NewsletterCampaign.update({ subject: parsed.data.subject, body: parsed.data.body }, { where: { id: campaign.id, status: 'draft' } });
    if (updated !== 1) return campaignPage(res, campaign, req.body as Record<string, unknown>, { form: 'This campaign is no longer a draft: it cannot be changed.' }, 409);
    res.flash('success', 'Draft saved.');
    res.redirect(303, `/admin/newsletter/campaigns/${campaign.id}`);
  });

  router.post('/admin/newsletter/campaigns/:id/test', guard, async (req, res) => {
    const campaign = await campaignOf(req);
    await campaigns.sendTest(campaign, req.user!.email);
    res.flash('success', `A test was sent to ${req.user!.email}.`);
    res.redirect(303, `/admin/newsletter/campaigns/${campaign.id}`);
  });

  // Only a draft can be deleted: a sent campaign is the history of what subscribers received.
  router.post('/admin/newsletter/campaigns/:id/delete', guard, async (req, res) => {
    const campaign = await campaignOf(req);
    const deleted = await NewsletterCampaign.destroy({ where: { id: campaign.id, status: 'draft' } });
    if (!deleted) return campaignPage(res, campaign, {}, { form: 'Only a draft can be deleted; this campaign was sent or is being sent.' }, 409);
    res.flash('success', `The draft “${campaign.subject}” was deleted.`);
    res.redirect(303, '/admin/newsletter/campaigns');
  });

  // A campaign whose batch job failed for good (the database away too long) goes on where it stopped.
  router.post('/admin/newsletter/campaigns/:id/resume', guard, async (req, res) => {
    const campaign = await campaignOf(req);
    if (await campaigns.resume(campaign.id)) res.flash('success', 'Sending goes on with the recipients not mailed yet.');
    else res.flash('info', 'This campaign is not being sent.');
    res.redirect(303, `/admin/newsletter/campaigns/${campaign.id}`);
  });

  router.post('/admin/newsletter/campaigns/:id/send', guard, async (req, res) => {
    const campaign = await campaignOf(req);
    if ((await campaigns.recipientsNow()) === 0 && campaign.status === 'draft') {
      return campaignPage(res, campaign, {}, { form: 'Nobody has confirmed a subscription yet: there is no one to send this to.' }, 422);
    }
    try {
      await campaigns.start(campaign.id);
      res.flash('success', 'Sending has started. This page shows how far it got.');
    } catch (error) {
      if (!(error instanceof CampaignAlreadyStarted)) throw error;
      res.flash('info', 'This campaign was already sent or is being sent.');
    }
    res.redirect(303, `/admin/newsletter/campaigns/${campaign.id}`);
  });
}

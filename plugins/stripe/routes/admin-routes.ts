import crypto from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { formatMoney, forbidden, notFound, parseForm, requireUser, type FieldErrors, type PluginContext } from '@agora/core';
import { stripeClient, stripeErrorText } from '../client';
import { StripeAccount, StripeEvent, StripePayment, StripeTransfer } from '../models';
import { accountEnabled } from '../models/stripe-account';
import { balances, entry, moneyOfOrder, owed, paidOut, platformNet, sellerEarnings } from '../services/ledger';
import { PAYOUT_FIELDS, payoutAmount, payoutSchema } from './payout-form';
import { missingSettings, type StripeSettings } from '../settings';

export const MANAGE = 'stripe.manage';

/** /admin/stripe: what is missing, a connection check, every payment with its Stripe ids and events, and the sellers' balances. */
export function adminRoutes(ctx: PluginContext, settings: () => StripeSettings): void {
  ctx.capabilities.register(MANAGE, 'See Stripe payments and payouts, check the connection', ['admin']);
  ctx.admin.menu({ id: 'stripe', label: 'Stripe', href: '/admin/stripe', capability: MANAGE, order: 55 });
  const may: RequestHandler = (req, _res, next) => {
    ctx.capabilities
      .can(req.user, MANAGE)
      .then((ok) => next(ok ? undefined : forbidden()))
      .catch(next);
  };

  const statusPage = async (_req: Request, res: Response, errors: FieldErrors = {}, values: Record<string, unknown> = {}, status = 200) => {
    const s = settings();
    const payments = await StripePayment.findAll({ order: [['id', 'DESC']], limit: 100 });
    const rows = await balances();
    const accounts = await StripeAccount.findAll({ where: { shop_id: rows.map((b) => b.shopId) } });
    const shops = ctx.service('shops');
    const list = [];
    for (const b of rows) {
      const account = accounts.find((a) => a.shop_id === b.shopId);
      list.push({
        shopId: b.shopId,
        shopName: (await shops.shopCard(b.shopId))?.name ?? `Shop ${b.shopId}`,
        currency: b.currency,
        earned: sellerEarnings(b.money),
        fee: platformNet(b.money),
        paidOut: paidOut(b.money),
        owed: owed(b.money),
        how: accountEnabled(account) && s.connectPayouts ? 'Stripe Connect' : 'by hand',
      });
    }
    await res.renderPage('stripe/admin/status', {
      title: 'Stripe',
      missing: missingSettings(s),
      secretSet: !!s.secretKey,
      connect: s.connectPayouts,
      webhookUrl: `${ctx.config.baseUrl.replace(/\/$/, '')}/stripe/webhook`,
      payments,
      balances: list,
      formatMoney,
      errors,
      values,
      payoutKey: crypto.randomUUID(),
    }, status);
  };
  ctx.router.get('/admin/stripe', requireUser, may, (req, res) => statusPage(req, res));

  // Money paid to a shop outside Stripe: a ledger entry, once per form (its key), at most what is owed.
  ctx.router.post('/admin/stripe/payouts', requireUser, may, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const strange = Object.keys(body).find((k) => !PAYOUT_FIELDS.has(k));
    if (strange) return statusPage(req, res, { form: 'This form was changed; reload the page.' }, body, 422);
    const parsed = parseForm(payoutSchema, body);
    if (!parsed.ok) return statusPage(req, res, parsed.errors, body, 422);
    const { shop_id: shopId, currency, payout_key: key } = parsed.data;
    const amount = payoutAmount(parsed.data.amount, currency);
    const field = `amount_${shopId}_${currency}`;
    if (amount === undefined) return statusPage(req, res, { [field]: 'Enter the amount paid, like 12.50', form: 'Enter the amount paid, like 12.50' }, body, 422);
    const done = await ctx.sequelize.transaction(async () => {
      const [balance] = (await balances(shopId)).filter((b) => b.currency === currency);
      const left = balance ? owed(balance.money) : 0;
      if (amount > left) return `Record at most what is owed: ${formatMoney(Math.max(0, left), currency)}.`;
      await entry({ key: `manual:${key}`, kind: 'manual_payout', orderId: null, shopId, paymentId: null, amount, currency });
      return null;
    });
    if (done) return statusPage(req, res, { [field]: done, form: done }, body, 422);
    res.flash('success', `Recorded ${formatMoney(amount, currency)} paid by hand.`);
    res.redirect(303, '/admin/stripe');
  });

  ctx.router.post('/admin/stripe/check', requireUser, may, async (req, res) => {
    const s = settings();
    if (!s.secretKey) {
      res.flash('error', 'Enter the secret key first.');
      return res.redirect(303, '/admin/stripe');
    }
    try {
      const balance = await (await stripeClient(s)).balance.retrieve();
      res.flash('success', `Stripe answered: the keys work (${balance.livemode ? 'live' : 'test'} mode).`);
    } catch (error) {
      res.flash('error', `Stripe refused the keys or could not be reached: ${stripeErrorText(error)}`);
    }
    res.redirect(303, '/admin/stripe');
  });

  ctx.router.get('/admin/stripe/payments/:id', requireUser, may, async (req, res) => {
    const payment = await StripePayment.findByPk(Number(req.params.id) || 0);
    if (!payment) throw notFound('payment');
    const events = await StripeEvent.findAll({ where: { payment_id: payment.id }, order: [['id', 'ASC']] });
    const transfers = await StripeTransfer.findAll({ where: { payment_id: payment.id } });
    const orders = [];
    for (const o of payment.orders_json) orders.push({ ...o, money: await moneyOfOrder(o.orderId), transfer: transfers.find((t) => t.order_id === o.orderId) });
    await res.renderPage('stripe/admin/payment', { title: `Stripe payment ${payment.reference}`, payment, events, orders, formatMoney });
  });
}

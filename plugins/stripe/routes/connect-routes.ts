import { UniqueConstraintError } from 'sequelize';
import { forbidden, requireUser, type PluginContext } from '@agora/core';
import { setPayoutAccount } from '../../shops/payments';
import { stripeClient, stripeErrorText } from '../client';
import { StripeAccount } from '../models';
import type { StripeSettings } from '../settings';

/** The shop the form names, if the person is its owner (staff do not choose where the money goes). */
async function ownedShop(ctx: PluginContext, userId: number, raw: unknown): Promise<number> {
  const shopId = Number(raw);
  if (!Number.isInteger(shopId) || shopId < 1) throw forbidden();
  const members = await ctx.service('shops').shopMembers(shopId);
  if (!members.some((m) => m.userId === userId && m.role === 'owner')) throw forbidden();
  return shopId;
}

/**
 * Seller onboarding with Stripe Connect (Express): the owner asks from the dashboard, an account is made
 * once per shop (our idempotency key and a unique row), and Stripe's Account Link takes them through
 * Stripe's own forms. Payouts start only when `account.updated` says charges and payouts are enabled.
 */
export function connectRoutes(ctx: PluginContext, settings: () => StripeSettings): void {
  const base = () => ctx.config.baseUrl.replace(/\/$/, '');

  ctx.router.post('/seller/stripe/connect', requireUser, async (req, res) => {
    const s = settings();
    if (!s.connectPayouts || !s.secretKey) {
      res.flash('error', 'Stripe payouts are not offered on this marketplace.');
      return res.redirect(303, '/seller');
    }
    const shopId = await ownedShop(ctx, req.user!.id, req.body?.shop_id);
    const stripe = await stripeClient(s);
    try {
      let account = await StripeAccount.findOne({ where: { shop_id: shopId } });
      if (!account) {
        const made = await stripe.accounts.create(
          { type: 'express', email: req.user!.email, capabilities: { transfers: { requested: true } }, metadata: { agora_shop_id: String(shopId) } },
          { idempotencyKey: `agora-connect-shop-${shopId}` },
        );
        try {
          account = await StripeAccount.create({ shop_id: shopId, account_id: made.id, user_id: req.user!.id, charges_enabled: !!made.charges_enabled, payouts_enabled: !!made.payouts_enabled, details_submitted: !!made.details_submitted });
        } catch (error) {
          // A second click at the same moment made the row first (Stripe gave both the same account).
          if (!(error instanceof UniqueConstraintError)) throw error;
          account = (await StripeAccount.findOne({ where: { shop_id: shopId } }))!;
        }
        await setPayoutAccount(shopId, account.account_id, account.charges_enabled && account.payouts_enabled);
      }
      const link = await stripe.accountLinks.create({
        account: account.account_id,
        type: 'account_onboarding',
        refresh_url: `${base()}/seller/stripe/refresh`,
        return_url: `${base()}/seller/stripe/return`,
      });
      res.redirect(303, link.url);
    } catch (error) {
      ctx.log.error({ shop: shopId, reason: stripeErrorText(error) }, 'stripe connect onboarding could not start');
      res.flash('error', 'Stripe could not be reached to set up payouts. Nothing was changed; please try again in a moment.');
      res.redirect(303, '/seller');
    }
  });

  // Back from Stripe's forms: what Stripe says now; account.updated keeps it current afterwards.
  ctx.router.get('/seller/stripe/return', requireUser, async (req, res) => {
    const shops = await ctx.service('shops').memberShopIds(req.user!.id);
    const account = shops.length ? await StripeAccount.findOne({ where: { shop_id: shops } }) : null;
    if (!account) return res.redirect(303, '/seller');
    try {
      const now = await (await stripeClient(settings())).accounts.retrieve(account.account_id);
      await account.update({ charges_enabled: !!now.charges_enabled, payouts_enabled: !!now.payouts_enabled, details_submitted: !!now.details_submitted });
      await setPayoutAccount(account.shop_id, account.account_id, account.charges_enabled && account.payouts_enabled);
    } catch (error) {
      ctx.log.warn({ shop: account.shop_id, reason: stripeErrorText(error) }, 'stripe account could not be read on return');
    }
    res.flash(
      account.charges_enabled && account.payouts_enabled ? 'success' : 'info',
      account.charges_enabled && account.payouts_enabled ? 'Your Stripe account is connected: paid orders are transferred to it.' : 'Stripe is checking your details; payouts start once Stripe enables your account.',
    );
    res.redirect(303, '/seller');
  });

  ctx.router.get('/seller/stripe/refresh', requireUser, (req, res) => {
    res.flash('info', 'The Stripe link expired. Press “Continue with Stripe” to carry on.');
    res.redirect(303, '/seller');
  });
}

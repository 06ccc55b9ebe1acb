import { z } from 'zod';
import { parseForm, type PluginContext } from '@agora/core';
import { text } from '../forms/fields';
import { unknownFields } from '../forms/cart-form';
import { Coupon } from '../models/coupon';
import type { ShopsSettings } from '../settings';
import { buildCartView } from '../services/cart-service';
import { cartPricing } from '../services/cart-pricing';
import { cartStoreFor } from '../services/cart-store';
import { MAX_CODES, normalCode, sessionCodes } from '../services/coupon-service';
import { renderCart } from './cart-routes';

const codeSchema = z.object({
  code: text(40).pipe(z.string().min(1, 'Enter a coupon code').regex(/^[A-Za-z0-9_-]{2,40}$/, 'A code is letters, digits, - and _, like SPRING10')).transform(normalCode),
});

/**
 * The cart's coupon form: a code is checked against the cart as it is (dates, minimum, limits, products)
 * and refused on the cart page with the reason; one code per shop and one of the platform are kept, a new
 * one replacing the old. Checkout checks them all again and counts them in the order's transaction.
 */
export function couponCartRoutes(ctx: PluginContext): void {
  const { router } = ctx;
  const settings = () => ctx.settings.get<ShopsSettings>();

  router.post('/cart/coupon', async (req, res) => {
    const tampered = unknownFields(req.body, (k) => k === 'code');
    if (tampered) return renderCart(ctx, req, res, tampered, 422);
    const parsed = parseForm(codeSchema, req.body);
    if (!parsed.ok) return renderCart(ctx, req, res, { coupon: parsed.errors.code ?? 'Enter a coupon code', form: parsed.errors.code ?? 'Enter a coupon code' }, 422);
    const code = parsed.data.code;
    const coupon = await Coupon.findOne({ where: { code } });
    if (!coupon) return renderCart(ctx, req, res, { coupon: `There is no coupon ${code}.`, form: `There is no coupon ${code}.` }, 422);
    const kept = sessionCodes(req.session.couponCodes).filter((c) => c !== code);
    // The code replaces the one of the same shop (or the platform's); the others stay.
    const others = kept.length ? await Coupon.findAll({ where: { code: kept }, attributes: ['code', 'shop_id'] }) : [];
    const codes = [...others.filter((o) => o.shop_id !== coupon.shop_id).map((o) => o.code), code].slice(-MAX_CODES);
    const view = await buildCartView(await cartStoreFor(req).read(), settings().maxQuantityPerItem);
    if (view.available === 0) return renderCart(ctx, req, res, { coupon: 'Add something to your cart first.', form: 'Add something to your cart first.' }, 422);
    const previous = req.session.couponCodes;
    req.session.couponCodes = codes;
    const pricing = await cartPricing(req, view, settings());
    const problem = pricing.problems.find((p) => p.code === code);
    if (problem) {
      req.session.couponCodes = previous;
      return renderCart(ctx, req, res, { coupon: problem.message, form: problem.message }, 422);
    }
    res.flash('success', `Coupon ${code} applied.`);
    res.redirect(303, '/cart');
  });

  router.post('/cart/coupon/remove', async (req, res) => {
    const tampered = unknownFields(req.body, (k) => k === 'code');
    if (tampered) return renderCart(ctx, req, res, tampered, 422);
    const parsed = parseForm(codeSchema, req.body);
    const codes = sessionCodes(req.session.couponCodes);
    if (!parsed.ok || !codes.includes(parsed.data.code)) return renderCart(ctx, req, res, { coupon: 'That code is not applied to your cart.', form: 'That code is not applied to your cart.' }, 422);
    req.session.couponCodes = codes.filter((c) => c !== parsed.data.code);
    res.flash('success', `Coupon ${parsed.data.code} removed.`);
    res.redirect(303, '/cart');
  });
}

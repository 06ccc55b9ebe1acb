import type { Request, Response } from 'express';
import { Op, UniqueConstraintError } from 'sequelize';
import { type PluginContext, requireCapability, notFound, parseForm, formatMoney, type FieldErrors } from '@agora/core';
import { unknownFields } from '../forms/cart-form';
import { COUPON_FIELDS, couponSchema, type CouponInput } from '../forms/coupon-form';
import { Coupon } from '../models/coupon';
import { CouponRedemption } from '../models/coupon-redemption';
import { Product } from '../models/product';
import { couponValueText } from '../services/coupon-service';
import { requireSellerShop } from '../services/shop-access';
import { idParam } from './upload-helpers';

/** Where a coupon page works: a seller's shop (its coupons) or the admin's (the platform's, shop_id null). */
interface Scope {
  shopId: number | null;
  base: string;
  currency: string;
  /** The seller's products a coupon may be limited to (none for the platform's). */
  products: Array<{ id: number; title: string }>;
  shop?: unknown;
}

const dayOf = (d: Date | null, end = false) => (d ? new Date(d.getTime() - (end ? 24 * 3600_000 : 0)).toISOString().slice(0, 10) : '');

function valuesOf(c: Coupon): Record<string, unknown> {
  return {
    code: c.code,
    description: c.description,
    kind: c.kind,
    value: c.kind === 'percent' ? String(c.value / 100) : (c.value / 100).toFixed(2),
    currency: c.currency ?? '',
    min_subtotal: c.min_subtotal ? (c.min_subtotal / 100).toFixed(2) : '',
    starts_on: dayOf(c.starts_at),
    ends_on: dayOf(c.ends_at, true),
    usage_limit: c.usage_limit ?? '',
    per_buyer_limit: c.per_buyer_limit ?? '',
    product_ids: c.productIdList().map(String),
    active: c.active,
  };
}

/**
 * Coupons: a seller's at /seller/coupons (their shop pays), the platform's at /admin/coupons (the platform
 * pays, the seller's earnings are not cut). One form for both; a code is unique across the marketplace.
 */
export function couponRoutes(ctx: PluginContext): void {
  const { router, capabilities: caps } = ctx;
  const CAP = 'shops.coupons.manage_platform';
  caps.register(CAP, 'Make platform coupons (the platform pays the discount)', ['admin']);
  ctx.admin.menu({ id: 'shops-coupons', label: 'Coupons', href: '/admin/coupons', capability: CAP, order: 41 });
  const admin = [requireCapability(ctx.capabilities, CAP)];
  const seller = requireSellerShop(caps.can);

  const sellerScope = async (req: Request): Promise<Scope> => {
    const shop = req.sellerShop!;
    const products = await Product.findAll({ where: { shop_id: shop.id }, attributes: ['id', 'title'], order: [['title', 'ASC']], limit: 500 });
    return { shopId: shop.id, base: '/seller/coupons', currency: shop.currency, products: products.map((p) => ({ id: p.id, title: p.title })), shop };
  };
  const adminScope = async (): Promise<Scope> => ({ shopId: null, base: '/admin/coupons', currency: 'EUR', products: [] });

  const page = async (res: Response, scope: Scope, editing: Coupon | null, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) => {
    const coupons = await Coupon.findAll({ where: { shop_id: scope.shopId }, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: 200 });
    const template = scope.shopId === null ? 'shops/admin/coupons' : 'shops/seller/coupons';
    await res.renderPage(
      template,
      { title: editing ? `Coupon ${editing.code}` : 'Coupons', scope, shop: scope.shop, coupons, editing, values, errors, valueText: couponValueText, formatMoney },
      status,
    );
  };

  const owned = async (scope: Scope, raw: string | string[]): Promise<Coupon> => {
    const id = typeof raw === 'string' ? idParam(raw) : undefined;
    const coupon = id === undefined ? null : await Coupon.findOne({ where: { id, shop_id: scope.shopId } });
    // Another shop's coupon is not found, not forbidden: its existence is not told.
    if (!coupon) throw notFound('coupon');
    return coupon;
  };

  const save = async (req: Request, res: Response, scope: Scope, coupon: Coupon | null) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { ...body, product_ids: [body.product_ids ?? []].flat() };
    const tampered = unknownFields(body, (k) => COUPON_FIELDS.has(k));
    if (tampered) return page(res, scope, coupon, values, tampered, 422);
    const parsed = parseForm(couponSchema(scope.currency), body);
    if (!parsed.ok) return page(res, scope, coupon, values, parsed.errors, 422);
    const input: CouponInput = parsed.data;
    const allowed = new Set(scope.products.map((p) => p.id));
    if (input.product_ids.some((id) => !allowed.has(id))) return page(res, scope, coupon, values, { product_ids: 'Choose products of your shop', form: 'Choose products of your shop.' }, 422);
    if (scope.shopId !== null && input.kind === 'fixed' && input.currency !== scope.currency) {
      return page(res, scope, coupon, values, { currency: `Your shop sells in ${scope.currency}`, form: `Your shop sells in ${scope.currency}.` }, 422);
    }
    const fields = { ...input, product_ids: input.product_ids.join(','), shop_id: scope.shopId };
    const clash = await Coupon.findOne({ where: { code: input.code, ...(coupon ? { id: { [Op.ne]: coupon.id } } : {}) }, attributes: ['id'] });
    const taken = { code: 'That code is taken; choose another.', form: 'That code is taken; choose another.' };
    if (clash) return page(res, scope, coupon, values, taken, 422);
    try {
      if (coupon) await coupon.update(fields);
      else coupon = await Coupon.create(fields);
    } catch (error) {
      if (error instanceof UniqueConstraintError) return page(res, scope, coupon, values, taken, 422);
      throw error;
    }
    res.flash('success', `Coupon ${coupon.code} saved.`);
    res.redirect(303, scope.base);
  };

  const remove = async (req: Request, res: Response, scope: Scope) => {
    const coupon = await owned(scope, req.params.id);
    // Its redemptions are the record of what orders were given: a used coupon is switched off, not deleted.
    if ((await CouponRedemption.count({ where: { coupon_id: coupon.id } })) > 0) {
      await coupon.update({ active: false });
      res.flash('success', `Coupon ${coupon.code} was used, so it is kept with its orders and switched off.`);
    } else {
      await coupon.destroy();
      res.flash('success', `Coupon ${coupon.code} deleted.`);
    }
    res.redirect(303, scope.base);
  };

  const fresh = { kind: 'percent', active: true, product_ids: [] };
  router.get('/seller/coupons', ...seller, async (req, res) => page(res, await sellerScope(req), null, fresh));
  router.post('/seller/coupons', ...seller, async (req, res) => save(req, res, await sellerScope(req), null));
  router.get('/seller/coupons/:id', ...seller, async (req, res) => {
    const scope = await sellerScope(req);
    const coupon = await owned(scope, req.params.id);
    await page(res, scope, coupon, valuesOf(coupon));
  });
  router.post('/seller/coupons/:id', ...seller, async (req, res) => {
    const scope = await sellerScope(req);
    await save(req, res, scope, await owned(scope, req.params.id));
  });
  router.post('/seller/coupons/:id/delete', ...seller, async (req, res) => remove(req, res, await sellerScope(req)));

  router.get('/admin/coupons', ...admin, async (_req, res) => page(res, await adminScope(), null, fresh));
  router.post('/admin/coupons', ...admin, async (req, res) => save(req, res, await adminScope(), null));
  router.get('/admin/coupons/:id', ...admin, async (req, res) => {
    const scope = await adminScope();
    const coupon = await owned(scope, req.params.id);
    await page(res, scope, coupon, valuesOf(coupon));
  });
  router.post('/admin/coupons/:id', ...admin, async (req, res) => {
    const scope = await adminScope();
    await save(req, res, scope, await owned(scope, req.params.id));
  });
  router.post('/admin/coupons/:id/delete', ...admin, async (req, res) => remove(req, res, await adminScope()));
}

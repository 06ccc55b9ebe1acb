import type { Request, Response } from 'express';
import { notFound, type FieldErrors, type PluginContext } from '@agora/core';
import { Product } from '../models/product';
import { ProductImage } from '../models/product-image';
import type { Shop } from '../models/shop';
import { unknownFields } from '../forms/cart-form';
import { ATTRIBUTE_FIELDS, generateSchema, isVariantsField, majorUnits, parseAttributeForm, parseVariantRows } from '../forms/variant-form';
import { FormProblem } from '../services/form-problem';
import { ProductNotFound } from '../services/product-service';
import { requireSellerShop } from '../services/shop-access';
import { attributesOf, MAX_VARIANTS, variantsOfProduct, VariantService } from '../services/variant-service';
import { idParam } from './upload-helpers';

/**
 * The seller's attributes (/seller/attributes: size, colour... with their ordered values, reused by every
 * product of the shop) and a product's variants page (/seller/products/:id/variants: choose values, generate
 * the combinations, then edit, enable or disable each). Every refusal is the same page, 422, with messages.
 */
export function variantRoutes(ctx: PluginContext, service: VariantService): void {
  const { router, capabilities: caps } = ctx;
  const seller = requireSellerShop(caps.can);
  const shopOf = (req: Request): Shop => req.sellerShop!;

  const attributesPage = async (req: Request, res: Response, errors: FieldErrors = {}, values: Record<string, unknown> = {}, status = 200) => {
    const shop = shopOf(req);
    const attributes = await attributesOf(shop.id);
    await res.renderPage('shops/seller/attributes', { title: 'Attributes', shop, attributes, errors, values, editing: values.editing ?? null }, status);
  };

  router.get('/seller/attributes', ...seller, async (req, res) => attributesPage(req, res));

  const saveAttribute = async (req: Request, res: Response, attributeId: number | null) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { ...body, editing: attributeId };
    const tampered = unknownFields(body, (k) => ATTRIBUTE_FIELDS.has(k));
    if (tampered) return attributesPage(req, res, tampered, values, 422);
    const parsed = parseAttributeForm(body);
    if (!parsed.ok) return attributesPage(req, res, parsed.errors, values, 422);
    try {
      const saved = await service.saveAttribute(shopOf(req), attributeId, parsed.data);
      res.flash('success', `“${saved.name}” was saved with ${parsed.data.values.length} ${parsed.data.values.length === 1 ? 'value' : 'values'}.`);
      res.redirect(303, '/seller/attributes');
    } catch (error) {
      if (error instanceof ProductNotFound) throw notFound('attribute');
      if (!(error instanceof FormProblem)) throw error;
      await attributesPage(req, res, error.errors, values, 422);
    }
  };
  router.post('/seller/attributes', ...seller, async (req, res) => saveAttribute(req, res, null));
  router.post('/seller/attributes/:id', ...seller, async (req, res) => {
    const id = idParam(req.params.id);
    if (id === undefined) throw notFound('attribute');
    await saveAttribute(req, res, id);
  });

  /** The product with this id in the seller's own shop; any other id is a 404, whoever owns it. */
  const ownProduct = async (req: Request): Promise<Product> => {
    const id = idParam(req.params.id);
    const product = id === undefined ? null : await Product.findOne({ where: { id, shop_id: shopOf(req).id } });
    if (!product || !(await caps.can(req.user, 'shops.shop.manage', product))) throw notFound('product');
    return product;
  };

  const variantsPage = async (req: Request, res: Response, product: Product, errors: FieldErrors = {}, sent?: Record<string, unknown>, status = 200) => {
    const shop = shopOf(req);
    const [attributes, variants, images] = await Promise.all([
      attributesOf(shop.id),
      variantsOfProduct(product.id),
      ProductImage.findAll({ where: { product_id: product.id }, order: [['position', 'ASC'], ['id', 'ASC']] }),
    ]);
    const used = new Set(variants.filter((v) => v.variant.enabled).flatMap((v) => v.options.map((o) => o.valueId)));
    // The table's cells: what was sent when refused, else the saved values as the seller types them.
    const cell = (id: number, field: string, saved: string): string => {
      if (!sent) return saved;
      const v = sent[`${field}_${id}`];
      return typeof v === 'string' ? v : field === 'enabled' ? '' : saved;
    };
    const rows = variants.map(({ variant: v, label }) => ({
      id: v.id,
      label,
      enabled: sent ? sent[`enabled_${v.id}`] === 'on' : v.enabled,
      sku: cell(v.id, 'sku', v.sku ?? ''),
      price: cell(v.id, 'price', v.price === null ? '' : majorUnits(v.price, product.currency)),
      compare_at_price: cell(v.id, 'compare_at_price', v.compare_at_price === null ? '' : majorUnits(v.compare_at_price, product.currency)),
      stock: cell(v.id, 'stock', v.stock === null ? '' : String(v.stock)),
      image_id: cell(v.id, 'image_id', v.image_id === null ? '' : String(v.image_id)),
    }));
    await res.renderPage(
      'shops/seller/variants',
      { title: `Variants of ${product.title}`, shop, product, attributes, used, rows, images, errors, maxVariants: MAX_VARIANTS, productPrice: majorUnits(product.price, product.currency) },
      status,
    );
  };

  router.get('/seller/products/:id/variants', ...seller, async (req, res) => variantsPage(req, res, await ownProduct(req)));

  router.post('/seller/products/:id/variants/generate', ...seller, async (req, res) => {
    const product = await ownProduct(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const tampered = unknownFields(body, (k) => k === 'value_ids');
    if (tampered) return variantsPage(req, res, product, tampered, undefined, 422);
    const parsed = generateSchema.safeParse(body);
    if (!parsed.success) return variantsPage(req, res, product, { value_ids: 'Choose values of your shop’s attributes.' }, undefined, 422);
    try {
      const { created, disabled } = await service.generate(shopOf(req), product.id, parsed.data.value_ids);
      const said = [`${created} new ${created === 1 ? 'variant' : 'variants'}`];
      if (disabled) said.push(`${disabled} no longer chosen ${disabled === 1 ? 'was' : 'were'} disabled`);
      res.flash('success', `${said.join('; ')}. Set their prices and stock below.`);
      res.redirect(303, `/seller/products/${product.id}/variants`);
    } catch (error) {
      if (error instanceof ProductNotFound) throw notFound('product');
      if (!(error instanceof FormProblem)) throw error;
      await variantsPage(req, res, product, error.errors, undefined, 422);
    }
  });

  router.post('/seller/products/:id/variants', ...seller, async (req, res) => {
    const product = await ownProduct(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const tampered = unknownFields(body, isVariantsField);
    if (tampered) return variantsPage(req, res, product, tampered, body, 422);
    const parsed = parseVariantRows(body, product.currency);
    if (!parsed.ok) return variantsPage(req, res, product, parsed.errors, body, 422);
    try {
      await service.updateVariants(shopOf(req), product.id, parsed.rows);
      res.flash('success', `The variants of “${product.title}” were saved.`);
      res.redirect(303, `/seller/products/${product.id}/variants`);
    } catch (error) {
      if (error instanceof ProductNotFound) throw notFound('product');
      if (!(error instanceof FormProblem)) throw error;
      await variantsPage(req, res, product, { form: error.errors.form ?? 'Some variants need a correction; see the marked cells.', ...error.errors }, body, 422);
    }
  });
}

import type { Request, Response } from 'express';
import { parseForm, type FieldErrors, type PluginContext } from '@agora/core';
import { Product } from '../models/product';
import { Shop } from '../models/shop';
import { idField, unknownFields, UPDATE_ITEM_FIELDS, updateItemSchema } from '../forms/cart-form';
import { cartVariants, problemWithVariant } from '../services/cart-service';
import { cartStoreFor } from '../services/cart-store';

export interface AddVariant {
  req: Request;
  res: Response;
  product: Product;
  shop: Shop | null;
  variantId: number | undefined;
  quantity: number;
  maxQuantity: number;
  /** Shows the refusal on the product page (false when the product cannot be shown). */
  onProductPage: (errors: FieldErrors) => Promise<boolean>;
  onCart: (errors: FieldErrors) => Promise<void>;
}

/** Adds the chosen variant of a product to the cart, or says on the product page why not (422). */
export async function addVariantToCart(a: AddVariant): Promise<void> {
  const refuse = async (message: string) => {
    if (await a.onProductPage({ variant_id: message, quantity: message })) return;
    await a.onCart({ form: message });
  };
  if (a.variantId === undefined) return refuse(`Choose an option of “${a.product.title}” first.`);
  const found = (await cartVariants([a.variantId])).get(a.variantId);
  // Another product's variant is as good as none: the form was changed.
  if (!found || found.variant.product_id !== a.product.id) return refuse(`Choose one of the options of “${a.product.title}”.`);
  const store = cartStoreFor(a.req);
  const inCart = (await store.read()).variants?.get(a.variantId) ?? 0;
  const wanted = inCart + a.quantity;
  const problem = problemWithVariant(a.product, found.line, a.shop, wanted, a.maxQuantity);
  if (problem) return refuse(`${problem}${inCart > 0 ? ` You already have ${inCart} in your cart.` : ''}`);
  await store.setVariantQuantity(a.variantId, wanted);
  a.res.flash('success', `Added “${a.product.title}” (${found.line.label}) to your cart.`);
  a.res.redirect(303, '/cart');
}

/** Changing the quantity of a variant's cart line, and removing it: the cart page's forms for those lines. */
export function cartVariantRoutes(
  ctx: PluginContext,
  cart: { renderCart: (ctx: PluginContext, req: Request, res: Response, errors?: FieldErrors, status?: number) => Promise<void>; maxQuantity: () => number },
): void {
  const { router } = ctx;
  const variantParam = (req: Request): number | undefined => {
    const parsed = idField('an option').safeParse(req.params.variantId);
    return parsed.success ? parsed.data : undefined;
  };

  router.post('/cart/variants/:variantId', async (req, res) => {
    const tampered = unknownFields(req.body, (k) => UPDATE_ITEM_FIELDS.has(k));
    if (tampered) return cart.renderCart(ctx, req, res, tampered, 422);
    const variantId = variantParam(req);
    const store = cartStoreFor(req);
    const contents = await store.read();
    if (variantId === undefined || !contents.variants?.has(variantId)) return cart.renderCart(ctx, req, res, { form: 'That product is not in your cart.' }, 422);
    const parsed = parseForm(updateItemSchema, req.body);
    const key = `quantity_v${variantId}`;
    if (!parsed.ok) return cart.renderCart(ctx, req, res, { [key]: parsed.errors.quantity ?? 'Enter a quantity', form: parsed.errors.quantity ?? 'Enter a quantity' }, 422);
    const found = (await cartVariants([variantId])).get(variantId);
    const product = found ? await Product.findByPk(found.variant.product_id) : null;
    const shop = product ? await Shop.findByPk(product.shop_id) : null;
    const problem = problemWithVariant(product, found?.line, shop, parsed.data.quantity, cart.maxQuantity());
    if (problem || !product) return cart.renderCart(ctx, req, res, { [key]: problem ?? 'Not for sale', form: problem ?? 'That product is not for sale.' }, 422);
    await store.setVariantQuantity(variantId, parsed.data.quantity);
    res.flash('success', `Updated “${product.title}” (${found!.line.label}).`);
    res.redirect(303, '/cart');
  });

  router.post('/cart/variants/:variantId/remove', async (req, res) => {
    const tampered = unknownFields(req.body, () => false);
    if (tampered) return cart.renderCart(ctx, req, res, tampered, 422);
    const variantId = variantParam(req);
    const store = cartStoreFor(req);
    if (variantId === undefined || !(await store.read()).variants?.has(variantId)) return cart.renderCart(ctx, req, res, { form: 'That product is not in your cart.' }, 422);
    await store.removeVariants([variantId]);
    res.flash('success', 'Removed from your cart.');
    res.redirect(303, '/cart');
  });
}

import type { Request, Response } from 'express';
import { type PluginContext, parseForm, type FieldErrors } from '@agora/core';
import { Product } from '../models/product';
import { ProductVariant } from '../models/product-variant';
import { Shop } from '../models/shop';
import { ShippingMethod } from '../models/shipping-method';
import type { ShopsSettings } from '../settings';
import { ADD_ITEM_FIELDS, UPDATE_ITEM_FIELDS, addItemSchema, idField, unknownFields, updateItemSchema } from '../forms/cart-form';
import { SHIPPING_FIELD } from '../forms/checkout-form';
import { buildCartView, problemWith } from '../services/cart-service';
import { cartStoreFor } from '../services/cart-store';
import { renderProductPage } from './product-page';
import { countryName } from '../services/countries';
import { addVariantToCart, cartVariantRoutes } from './cart-variant-routes';
import { cartPricing } from '../services/cart-pricing';
import { rateText } from '../services/order-pricing';

/** The cart page, with `errors` (422) when a change was refused. */
export async function renderCart(ctx: PluginContext, req: Request, res: Response, errors: FieldErrors = {}, status = 200): Promise<void> {
  const settings = ctx.settings.get<ShopsSettings>();
  const contents = await cartStoreFor(req).read();
  const view = await buildCartView(contents, settings.maxQuantityPerItem);
  // Coupons and the tax estimate at the store's country (services/cart-pricing.ts).
  const pricing = await cartPricing(req, view, settings);
  await res.renderPage('shops/cart/cart', { title: 'Your cart', view, errors, maxQuantity: settings.maxQuantityPerItem, countryName, pricing, rateText }, status);
}

const productIdParam = (req: Request): number | undefined => {
  const parsed = idField('a product').safeParse(req.params.productId);
  return parsed.success ? parsed.data : undefined;
};

/** GET /cart and the forms that change it; every refusal is the cart page again, 422, with the reason. */
export function cartRoutes(ctx: PluginContext): void {
  const { router } = ctx;
  const max = () => ctx.settings.get<ShopsSettings>().maxQuantityPerItem;

  router.get('/cart', async (req, res) => renderCart(ctx, req, res));

  router.post('/cart/items', async (req, res) => {
    const tampered = unknownFields(req.body, (k) => ADD_ITEM_FIELDS.has(k));
    if (tampered) return renderCart(ctx, req, res, tampered, 422);
    const parsed = parseForm(addItemSchema, req.body);
    // The form is the product page's: a refusal is shown there, beside the quantity, not on the cart.
    const onProductPage = async (errors: FieldErrors): Promise<boolean> => {
      const id = Number((req.body as Record<string, unknown>)?.product_id);
      const product = Number.isSafeInteger(id) && id > 0 ? await Product.findByPk(id) : null;
      if (!product || product.status !== 'published') return false;
      const { quantity: typed, variant_id: chosen } = req.body as Record<string, unknown>;
      await renderProductPage(ctx, req, res, product, { errors, quantity: typeof typed === 'string' ? typed.slice(0, 12) : '1', variantId: typeof chosen === 'string' ? chosen.slice(0, 12) : undefined, status: 422 });
      return true;
    };
    if (!parsed.ok) {
      if (await onProductPage({ quantity: parsed.errors.quantity ?? Object.values(parsed.errors)[0] })) return;
      return renderCart(ctx, req, res, { form: Object.values(parsed.errors)[0] }, 422);
    }
    const product = await Product.findByPk(parsed.data.product_id);
    const shop = product ? await Shop.findByPk(product.shop_id) : null;
    // A product with variants is added by the option chosen on its page.
    if (product && (product.variant_count > 0 || parsed.data.variant_id !== undefined)) {
      return addVariantToCart({ req, res, product, shop, variantId: parsed.data.variant_id, quantity: parsed.data.quantity, maxQuantity: max(), onProductPage, onCart: (errors) => renderCart(ctx, req, res, errors, 422) });
    }
    const store = cartStoreFor(req);
    const inCart = (await store.read()).items.get(parsed.data.product_id) ?? 0;
    const wanted = inCart + parsed.data.quantity;
    const problem = problemWith(product, shop, wanted, max());
    if (problem || !product) {
      const already = inCart > 0 ? ` You already have ${inCart} in your cart.` : '';
      const message = `${problem ?? 'That product is not for sale.'}${problem && inCart > 0 ? already : ''}`;
      if (await onProductPage({ quantity: message })) return;
      return renderCart(ctx, req, res, { form: message }, 422);
    }
    await store.setQuantity(product.id, wanted);
    res.flash('success', `Added “${product.title}” to your cart.`);
    res.redirect(303, '/cart');
  });

  router.post('/cart/items/:productId', async (req, res) => {
    const tampered = unknownFields(req.body, (k) => UPDATE_ITEM_FIELDS.has(k));
    if (tampered) return renderCart(ctx, req, res, tampered, 422);
    const productId = productIdParam(req);
    const store = cartStoreFor(req);
    const contents = await store.read();
    if (productId === undefined || !contents.items.has(productId)) return renderCart(ctx, req, res, { form: 'That product is not in your cart.' }, 422);
    const parsed = parseForm(updateItemSchema, req.body);
    if (!parsed.ok) return renderCart(ctx, req, res, { [`quantity_${productId}`]: parsed.errors.quantity ?? 'Enter a quantity', form: parsed.errors.quantity ?? 'Enter a quantity' }, 422);
    const product = await Product.findByPk(productId);
    const shop = product ? await Shop.findByPk(product.shop_id) : null;
    const problem = problemWith(product, shop, parsed.data.quantity, max());
    if (problem || !product) return renderCart(ctx, req, res, { [`quantity_${productId}`]: problem ?? 'Not for sale', form: problem ?? 'That product is not for sale.' }, 422);
    await store.setQuantity(productId, parsed.data.quantity);
    res.flash('success', `Updated “${product.title}”.`);
    res.redirect(303, '/cart');
  });

  router.post('/cart/items/:productId/remove', async (req, res) => {
    const tampered = unknownFields(req.body, () => false);
    if (tampered) return renderCart(ctx, req, res, tampered, 422);
    const productId = productIdParam(req);
    const store = cartStoreFor(req);
    if (productId === undefined || !(await store.read()).items.has(productId)) return renderCart(ctx, req, res, { form: 'That product is not in your cart.' }, 422);
    await store.remove([productId]);
    res.flash('success', 'Removed from your cart.');
    res.redirect(303, '/cart');
  });

  cartVariantRoutes(ctx, { renderCart, maxQuantity: max });

  router.post('/cart/shipping', async (req, res) => {
    const tampered = unknownFields(req.body, (k) => SHIPPING_FIELD.test(k));
    if (tampered) return renderCart(ctx, req, res, tampered, 422);
    const store = cartStoreFor(req);
    const contents = await store.read();
    const products = await Product.findAll({ where: { id: [...contents.items.keys()] }, attributes: ['id', 'shop_id'] });
    const variants = contents.variants?.size ? await ProductVariant.findAll({ where: { id: [...contents.variants.keys()] }, attributes: ['id', 'shop_id'] }) : [];
    const shopsInCart = new Set([...products.map((p) => p.shop_id), ...variants.map((v) => v.shop_id)]);
    const choices: Array<[number, number | null]> = [];
    for (const [key, value] of Object.entries(req.body as Record<string, unknown>)) {
      const m = SHIPPING_FIELD.exec(key);
      if (!m) continue;
      const shopId = Number(m[1]);
      if (!shopsInCart.has(shopId)) return renderCart(ctx, req, res, { form: 'That shop has nothing in your cart.' }, 422);
      if (value === '') {
        choices.push([shopId, null]);
        continue;
      }
      const id = idField('a delivery method').safeParse(value);
      const method = id.success ? await ShippingMethod.findOne({ where: { id: id.data, shop_id: shopId } }) : null;
      if (!method) return renderCart(ctx, req, res, { [`shipping_${shopId}`]: 'Choose one of this shop’s delivery methods.', form: 'Choose one of the shop’s delivery methods.' }, 422);
      choices.push([shopId, method.id]);
    }
    for (const [shopId, methodId] of choices) await store.setShipping(shopId, methodId);
    res.flash('success', 'Delivery updated.');
    res.redirect(303, '/cart');
  });
}

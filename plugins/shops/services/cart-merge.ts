import { Op } from 'sequelize';
import { CartItem } from '../models/cart-item';
import { CartVariantItem, ProductVariant } from '../models/product-variant';
import { Product } from '../models/product';
import { Shop } from '../models/shop';
import { cartOf, shippingChoicesOf, type CartContents } from './cart-store';

/**
 * Moves a guest's cart into the account's cart at login. Quantities of a product in both add up, capped
 * at the stock and at the per-item maximum; products that can no longer be bought are left out.
 */
export async function mergeGuestCart(userId: number, guest: CartContents, maxQuantity: number): Promise<void> {
  await mergeGuestVariants(userId, guest, maxQuantity);
  if (guest.items.size === 0) return;
  const products = await Product.findAll({ where: { id: { [Op.in]: [...guest.items.keys()] }, status: 'published' } });
  const shops = await Shop.findAll({ where: { id: { [Op.in]: [...new Set(products.map((p) => p.shop_id))] } }, attributes: ['id'] });
  const cart = await cartOf(userId);
  const existing = await CartItem.findAll({ where: { cart_id: cart.id } });
  for (const product of products) {
    if (!shops.some((s) => s.id === product.shop_id)) continue;
    const had = existing.find((i) => i.product_id === product.id)?.quantity ?? 0;
    let quantity = Math.min(had + (guest.items.get(product.id) ?? 0), maxQuantity);
    if (product.stock !== null) quantity = Math.min(quantity, product.stock);
    if (quantity < 1 || quantity === had) continue;
    await CartItem.upsert({ cart_id: cart.id, product_id: product.id, quantity });
  }
  const choices = shippingChoicesOf(cart);
  let changed = false;
  for (const [shopId, methodId] of guest.shipping) {
    if (!choices.has(shopId)) {
      choices.set(shopId, methodId);
      changed = true;
    }
  }
  if (changed) await cart.update({ shipping_choices: JSON.stringify(Object.fromEntries(choices)) });
}

/** The guest's variant lines, merged the same way (capped at the variant's stock). */
async function mergeGuestVariants(userId: number, guest: CartContents, maxQuantity: number): Promise<void> {
  if (!guest.variants?.size) return;
  const variants = await ProductVariant.findAll({ where: { id: { [Op.in]: [...guest.variants.keys()] }, enabled: true } });
  const live = new Set(
    (await Product.findAll({ where: { id: { [Op.in]: [...new Set(variants.map((v) => v.product_id))] }, status: 'published' }, attributes: ['id'] })).map((p) => p.id),
  );
  const cart = await cartOf(userId);
  const existing = await CartVariantItem.findAll({ where: { cart_id: cart.id } });
  for (const variant of variants) {
    if (!live.has(variant.product_id)) continue;
    const had = existing.find((i) => i.variant_id === variant.id)?.quantity ?? 0;
    let quantity = Math.min(had + (guest.variants.get(variant.id) ?? 0), maxQuantity);
    if (variant.stock !== null) quantity = Math.min(quantity, variant.stock);
    if (quantity < 1 || quantity === had) continue;
    await CartVariantItem.upsert({ cart_id: cart.id, variant_id: variant.id, quantity });
  }
}

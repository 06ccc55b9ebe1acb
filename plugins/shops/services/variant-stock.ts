import { Op, type Sequelize, type Transaction } from 'sequelize';
import { Product } from '../models/product';
import { ProductVariant } from '../models/product-variant';
import { OrderItem } from '../models/order-item';

/** What an order line of a variant keeps of it (a snapshot: the variant may change or go later). */
export interface VariantTaken {
  id: number;
  label: string;
  sku: string | null;
  price: number;
}

/**
 * Takes `quantity` of one variant inside the order's transaction: false when it has not that many left.
 * The product row (whose stock is the variants' sum) is updated first, so every checkout touching the
 * product queues on one row before any of its variants and two checkouts never wait on each other in a
 * circle; then the variant's own conditional update decides, exactly as a product's does.
 */
export async function takeVariantStock(sequelize: Sequelize, productId: number, variantId: number, quantity: number, transaction: Transaction): Promise<boolean> {
  const q = Math.trunc(quantity);
  // `q` is a validated whole number, so the literal is safe; the models' typing has no place for an expression.
  await Product.update({ stock: sequelize.literal(`stock - ${q}`) as unknown as number }, { where: { id: productId, stock: { [Op.ne]: null } }, transaction, validate: false, hooks: false });
  const [count] = await ProductVariant.update(
    { stock: sequelize.literal(`stock - ${q}`) as unknown as number },
    { where: { id: variantId, product_id: productId, enabled: true, [Op.or]: [{ stock: null }, { stock: { [Op.gte]: q } }] }, transaction, validate: false, hooks: false },
  );
  return count === 1;
}

/** How many of a variant are left now (for the sold-out message), read in the transaction. */
export async function variantStockLeft(variantId: number, transaction: Transaction): Promise<number> {
  const v = await ProductVariant.findByPk(variantId, { attributes: ['stock', 'enabled'], transaction });
  return v && v.enabled ? (v.stock ?? 0) : 0;
}

/** Gives back the units of an order's variant lines to their variants (the product's own count is given back by the caller). */
export async function restockVariants(orderId: number, transaction: Transaction): Promise<void> {
  const items = await OrderItem.findAll({ where: { order_id: orderId, variant_id: { [Op.ne]: null } }, order: [['variant_id', 'ASC']], transaction });
  for (const item of items) {
    await ProductVariant.increment('stock', { by: item.quantity, where: { id: item.variant_id!, stock: { [Op.ne]: null } }, transaction });
  }
}

import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import { formatMoney, minorPerMajor, type Hooks } from '@agora/core';
import { Product, type ProductStatus } from '../models/product';
import { ProductVariant } from '../models/product-variant';
import { ProductBulkEdit } from '../models/product-bulk-edit';
import { Shop } from '../models/shop';
import { MAX_AMOUNT_MAJOR, MAX_STOCK } from '../forms/fields';
import type { BulkEditInput, PriceOp, StockOp } from '../routes/product-bulk-form';
import { FormProblem } from './form-problem';
import { refreshVariantSummary } from './variant-service';
import { announceProductChanges, beforeOf, type ProductBefore } from './product-bulk-hooks';

/** The same form sent again (a double click, a reload): it was applied once already. */
export class BulkEditAlreadyApplied extends Error {
  constructor() {
    super('These changes were already applied');
  }
}

/** A price after the operation, in minor units; percentages are hundredths of a percent, rounded half up to a minor unit. */
export function applyPriceOp(price: number, op: PriceOp, amount: number): number {
  switch (op) {
    case 'set':
      return amount;
    case 'increase_percent':
      return Math.round((price * (10_000 + amount)) / 10_000);
    case 'decrease_percent':
      return Math.round((price * (10_000 - amount)) / 10_000);
    case 'increase_amount':
      return price + amount;
    case 'decrease_amount':
      return price - amount;
  }
}

/** A stock level after the operation; unlimited (null) stays unlimited when adding or removing. */
export function applyStockOp(stock: number | null, op: StockOp, amount: number): number | null {
  switch (op) {
    case 'set':
      return amount;
    case 'unlimited':
      return null;
    case 'add':
      return stock === null ? null : stock + amount;
    case 'remove':
      return stock === null ? null : stock - amount;
  }
}

export interface BulkEditResult {
  changed: number;
  /** Products whose stock was unlimited and so not adjusted by an add or a remove. */
  unlimitedKept: number;
}

/**
 * Changes the price, compare-at price, stock or status of many products of one shop in one transaction:
 * every product is locked and checked (it must be the shop's, its new values valid) before anything is
 * written; one refusal refuses all, with a message per product. A product with variants has the same
 * change made to its variants (a price to those with a price of their own, stock to each enabled one),
 * and its summary recomputed. The edit is recorded, claimed by its form's one-time key; hooks fire after
 * the commit, as single edits fire them.
 */
export class ProductBulkEditService {
  constructor(private readonly hooks: Pick<Hooks, 'do'>) {}

  async apply(shop: Shop, userId: number | null, input: BulkEditInput): Promise<BulkEditResult> {
    const sequelize = Product.sequelize!;
    const changes: Array<{ product: Product; before: ProductBefore }> = [];
    let unlimitedKept = 0;
    try {
      await sequelize.transaction(async (transaction) => {
        // The claim first: a second request with this key fails here and changes nothing.
        await ProductBulkEdit.create({ shop_id: shop.id, user_id: userId, request_key: input.requestKey, product_count: input.ids.length, summary: JSON.stringify(summaryOf(input)) }, { transaction });
        const products = await Product.findAll({ where: { id: { [Op.in]: input.ids }, shop_id: shop.id }, order: [['id', 'ASC']], transaction, lock: transaction.LOCK.UPDATE });
        if (products.length !== input.ids.length) {
          throw new FormProblem({ ids: `${input.ids.length - products.length} of the selected products ${input.ids.length - products.length === 1 ? 'is' : 'are'} not in your shop (deleted, or the form was changed); nothing was changed. Reload the page and try again.` });
        }
        const variants = await ProductVariant.findAll({ where: { product_id: { [Op.in]: input.ids } }, order: [['id', 'ASC']], transaction, lock: transaction.LOCK.UPDATE });
        const errors: string[] = [];
        const plans: Array<{ product: Product; values: Partial<Product>; variantValues: Array<{ variant: ProductVariant; values: Partial<ProductVariant> }> }> = [];
        for (const product of products) {
          const plan = planProduct(product, variants.filter((v) => v.product_id === product.id), input, shop.currency);
          errors.push(...plan.errors.map((e) => `${product.title}: ${e}`));
          unlimitedKept += plan.unlimitedKept;
          plans.push({ product, values: plan.values, variantValues: plan.variantValues });
        }
        if (errors.length) throw new FormProblem({ form: errors.slice(0, 20).join('\n') + (errors.length > 20 ? `\n…and ${errors.length - 20} more` : '') });

        let publishedDelta = 0;
        for (const { product, values, variantValues } of plans) {
          const before = beforeOf(product);
          for (const { variant, values: vv } of variantValues) if (Object.keys(vv).length) await variant.update(vv, { transaction });
          if (values.status && values.status !== product.status) {
            publishedDelta += values.status === 'published' ? 1 : -1;
            if (values.status === 'published' && !product.published_at) values.published_at = new Date();
          }
          await product.update(values, { transaction });
          if (variantValues.length) await refreshVariantSummary(product, transaction);
          changes.push({ product, before });
        }
        if (publishedDelta) await Shop.increment('product_count', { by: publishedDelta, where: { id: shop.id }, transaction });
      });
    } catch (error) {
      if (error instanceof UniqueConstraintError && isKeyClash(error)) throw new BulkEditAlreadyApplied();
      throw error;
    }
    await announceProductChanges(this.hooks, changes, 'bulk');
    return { changed: changes.length, unlimitedKept };
  }

  /** The shop's last bulk edits, newest first (the record shown under the list). */
  static async recent(shopId: number, limit = 5, transaction?: Transaction): Promise<ProductBulkEdit[]> {
    return ProductBulkEdit.findAll({ where: { shop_id: shopId }, order: [['created_at', 'DESC'], ['id', 'DESC']], limit, transaction });
  }
}

function isKeyClash(error: UniqueConstraintError): boolean {
  return error.errors.some((e) => e.path === 'request_key') || /request_key/.test(String(error.parent?.message ?? '')) || error.errors.length === 0;
}

/** The request in words a person reads back in the record. */
function summaryOf(input: BulkEditInput): Record<string, unknown> {
  return { price: input.price ?? null, compare: input.compare ?? null, stock: input.stock ?? null, status: input.status ?? null, ids: input.ids };
}


function planProduct(product: Product, variants: ProductVariant[], input: BulkEditInput, currency: string) {
  const errors: string[] = [];
  const values: Partial<Product> = {};
  const variantValues: Array<{ variant: ProductVariant; values: Partial<ProductVariant> }> = [];
  const money = (minor: number) => formatMoney(minor, product.currency);
  const maxMinor = MAX_AMOUNT_MAJOR * minorPerMajor(currency);
  let unlimitedKept = 0;

  const checkPrice = (price: number, what: string) => {
    if (price < 1) errors.push(`${what} would be ${money(price)}; a price must be more than zero`);
    else if (price > maxMinor) errors.push(`${what} would be ${money(price)}, above the most a price may be`);
  };
  const newPrice = input.price ? applyPriceOp(product.price, input.price.op, input.price.amount) : product.price;
  if (input.price) {
    checkPrice(newPrice, 'the price');
    values.price = newPrice;
  }
  let newCompare = product.compare_at_price;
  if (input.compare === 'from_price') newCompare = product.price;
  if (input.compare === 'clear') newCompare = null;
  if (input.compare) values.compare_at_price = newCompare;
  if (newCompare !== null && newCompare <= newPrice && (input.price || input.compare)) {
    errors.push(
      input.compare === 'from_price'
        ? `the compare-at price (the old price, ${money(newCompare)}) must be above the new price ${money(newPrice)}: lower the price to show it as a sale`
        : `the new price ${money(newPrice)} is not below its compare-at price ${money(newCompare)}; clear the compare-at prices too`,
    );
  }

  const checkStock = (stock: number | null, what: string) => {
    if (stock !== null && stock < 0) errors.push(`${what} would be ${stock}; it cannot go below zero`);
    else if (stock !== null && stock > MAX_STOCK) errors.push(`${what} would be ${stock}, above ${MAX_STOCK.toLocaleString('en')}`);
  };

  if (variants.length) {
    for (const variant of variants) {
      const vv: Partial<ProductVariant> = {};
      const label = `its variant ${variant.sku ?? `#${variant.id}`}`;
      const oldEffective = variant.priceOf(product.price);
      if (input.price && variant.price !== null) {
        vv.price = applyPriceOp(variant.price, input.price.op, input.price.amount);
        checkPrice(vv.price, `the price of ${label}`);
      }
      const effective = vv.price ?? variant.price ?? newPrice;
      let compare = variant.compare_at_price;
      if (input.compare === 'from_price') compare = oldEffective;
      if (input.compare === 'clear') compare = null;
      if (input.compare && variant.compare_at_price !== compare) vv.compare_at_price = compare;
      if (compare !== null && compare <= effective && (input.price || input.compare)) errors.push(`the compare-at price of ${label} (${money(compare)}) must be above its new price ${money(effective)}`);
      if (input.stock && variant.enabled) {
        if (variant.stock === null && (input.stock.op === 'add' || input.stock.op === 'remove')) unlimitedKept++;
        const stock = applyStockOp(variant.stock, input.stock.op, input.stock.amount);
        checkStock(stock, `the stock of ${label}`);
        if (stock !== variant.stock) vv.stock = stock;
      }
      variantValues.push({ variant, values: vv });
    }
  } else if (input.stock) {
    if (product.stock === null && (input.stock.op === 'add' || input.stock.op === 'remove')) unlimitedKept++;
    const stock = applyStockOp(product.stock, input.stock.op, input.stock.amount);
    checkStock(stock, 'the stock');
    values.stock = stock;
  }
  if (input.status) values.status = input.status satisfies ProductStatus;
  return { errors, values, variantValues, unlimitedKept };
}

import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Hooks } from '@agora/core';
import { Product } from '../models/product';
import { ProductImage } from '../models/product-image';
import { ProductAttribute, ProductAttributeValue } from '../models/product-attribute';
import { ProductOption, ProductVariant, ProductVariantValue } from '../models/product-variant';
import type { Shop } from '../models/shop';
import type { AttributeInput, VariantRowInput } from '../forms/variant-form';
import { FormProblem } from './form-problem';
import { ProductNotFound } from './product-service';
import { announceRestocked } from './restock-announce';

type HookRunner = Pick<Hooks, 'do'>;

/** The most combinations one product may have: a seller generating 5 × 5 × 5 gets 125; past this it is a mistake. */
export const MAX_VARIANTS = 200;

export interface AttributeWithValues {
  attribute: ProductAttribute;
  values: ProductAttributeValue[];
}

/** A variant with its attribute values in the shop's attribute order, and the label made of them. */
export interface DescribedVariant {
  variant: ProductVariant;
  /** [{ attribute: 'Size', value: 'M', attributeId, valueId }...] in the attributes' order. */
  options: Array<{ attributeId: number; attribute: string; valueId: number; value: string }>;
  /** "Size: M, Colour: Blue". */
  label: string;
}

export const combinationOf = (valueIds: number[]): string => [...valueIds].sort((a, b) => a - b).join('-');

/** The shop's attributes with their values, both in the seller's order. */
export async function attributesOf(shopId: number, transaction?: Transaction): Promise<AttributeWithValues[]> {
  const attributes = await ProductAttribute.findAll({ where: { shop_id: shopId }, order: [['position', 'ASC'], ['id', 'ASC']], transaction });
  const values = attributes.length
    ? await ProductAttributeValue.findAll({ where: { attribute_id: { [Op.in]: attributes.map((a) => a.id) } }, order: [['position', 'ASC'], ['id', 'ASC']], transaction })
    : [];
  return attributes.map((attribute) => ({ attribute, values: values.filter((v) => v.attribute_id === attribute.id) }));
}

/** Labels variants ("Size: M, Colour: Blue") with their values, in one query per table whatever their number. */
export async function describeVariants(variants: ProductVariant[], transaction?: Transaction): Promise<DescribedVariant[]> {
  if (!variants.length) return [];
  const links = await ProductVariantValue.findAll({ where: { variant_id: { [Op.in]: variants.map((v) => v.id) } }, transaction });
  const values = links.length ? await ProductAttributeValue.findAll({ where: { id: { [Op.in]: [...new Set(links.map((l) => l.value_id))] } }, transaction }) : [];
  const attributes = values.length ? await ProductAttribute.findAll({ where: { id: { [Op.in]: [...new Set(values.map((v) => v.attribute_id))] } }, transaction }) : [];
  const valueById = new Map(values.map((v) => [v.id, v]));
  const attributeById = new Map(attributes.map((a) => [a.id, a]));
  return variants.map((variant) => {
    const options = links
      .filter((l) => l.variant_id === variant.id)
      .map((l) => valueById.get(l.value_id))
      .filter((v): v is ProductAttributeValue => v !== undefined)
      .map((v) => ({ attributeId: v.attribute_id, attribute: attributeById.get(v.attribute_id)?.name ?? '', valueId: v.id, value: v.value, order: [attributeById.get(v.attribute_id)?.position ?? 0, v.attribute_id] }))
      .sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1])
      .map(({ order: _order, ...o }) => o);
    return { variant, options, label: options.map((o) => `${o.attribute}: ${o.value}`).join(', ') };
  });
}

/** A product's variants (all, or the enabled ones) in the seller's order, labelled. */
export async function variantsOfProduct(productId: number, options: { enabledOnly?: boolean; transaction?: Transaction } = {}): Promise<DescribedVariant[]> {
  const where = options.enabledOnly ? { product_id: productId, enabled: true } : { product_id: productId };
  const variants = await ProductVariant.findAll({ where, order: [['position', 'ASC'], ['id', 'ASC']], transaction: options.transaction });
  return describeVariants(variants, options.transaction);
}

const key = (s: string) => s.trim().toLowerCase();

async function refreshOptions(productId: number, transaction: Transaction): Promise<void> {
  await ProductOption.destroy({ where: { product_id: productId }, transaction });
  const enabled = await ProductVariant.findAll({ where: { product_id: productId, enabled: true }, transaction });
  const described = await describeVariants(enabled, transaction);
  const rows = new Map<string, { attribute: string; value: string; product_id: number }>();
  for (const d of described) {
    for (const o of d.options) {
      const row = { attribute: key(o.attribute).slice(0, 60), value: key(o.value).slice(0, 60), product_id: productId };
      rows.set(`${row.attribute}\u0000${row.value}`, row);
    }
  }
  if (rows.size) await ProductOption.bulkCreate([...rows.values()], { transaction });
}

/**
 * The product's summary from its enabled variants: their number, their stock summed (unlimited if one
 * is), the lowest price when prices differ; and the catalog's option index. Called in the transaction of
 * every change to the variants or to the product's own price.
 */
export async function refreshVariantSummary(product: Product, transaction: Transaction): Promise<void> {
  const enabled = await ProductVariant.findAll({ where: { product_id: product.id, enabled: true }, transaction });
  const changes: Partial<Pick<Product, 'variant_count' | 'price_from' | 'stock'>> = { variant_count: enabled.length, price_from: null };
  if (enabled.length) {
    const prices = enabled.map((v) => v.priceOf(product.price));
    changes.price_from = new Set(prices).size > 1 ? Math.min(...prices) : null;
    changes.stock = enabled.some((v) => v.stock === null) ? null : enabled.reduce((s, v) => s + (v.stock ?? 0), 0);
  } else if (product.variant_count > 0) {
    // No variant left on sale: the product is sold out until the seller sets its own stock again.
    changes.stock = 0;
  }
  await product.update(changes, { transaction });
  await refreshOptions(product.id, transaction);
}


/**
 * Attributes and variants of one shop's products. Every change is one transaction; the product's summary
 * (variant count, stock as the variants' sum, "from" price) and the catalog's option index are rewritten in
 * it, so the catalog never shows what the variants no longer say.
 */
export class VariantService {
  constructor(private readonly hooks: HookRunner) {}

  /** Creates an attribute (id null) or renames it and sets its values: kept values keep their ids, so variants keep them. */
  async saveAttribute(shop: Shop, attributeId: number | null, input: AttributeInput): Promise<ProductAttribute> {
    const sequelize = ProductAttribute.sequelize!;
    try {
      return await sequelize.transaction(async (transaction) => {
        const clash = await ProductAttribute.findAll({ where: { shop_id: shop.id }, attributes: ['id', 'name'], transaction });
        if (clash.some((a) => a.id !== attributeId && key(a.name) === key(input.name))) throw new FormProblem({ name: `Your shop already has an attribute called “${input.name}”.` });
        let attribute: ProductAttribute;
        if (attributeId === null) {
          attribute = await ProductAttribute.create({ shop_id: shop.id, name: input.name, position: clash.length }, { transaction });
        } else {
          const found = await ProductAttribute.findOne({ where: { id: attributeId, shop_id: shop.id }, transaction, lock: transaction.LOCK.UPDATE });
          if (!found) throw new ProductNotFound();
          attribute = await found.update({ name: input.name }, { transaction });
        }
        const existing = await ProductAttributeValue.findAll({ where: { attribute_id: attribute.id }, transaction });
        const byKey = new Map(existing.map((v) => [key(v.value), v]));
        const wanted = new Set(input.values.map(key));
        const dropped = existing.filter((v) => !wanted.has(key(v.value)));
        if (dropped.length) {
          const used = await ProductVariantValue.findAll({ where: { value_id: { [Op.in]: dropped.map((v) => v.id) } }, attributes: ['value_id'], transaction });
          const usedValues = dropped.filter((v) => used.some((u) => u.value_id === v.id)).map((v) => `“${v.value}”`);
          if (usedValues.length) throw new FormProblem({ values: `${usedValues.join(', ')} ${usedValues.length === 1 ? 'is' : 'are'} used by product variants; disable or regenerate those variants first.` });
          await ProductAttributeValue.destroy({ where: { id: { [Op.in]: dropped.map((v) => v.id) } }, transaction });
        }
        for (const [position, value] of input.values.entries()) {
          const had = byKey.get(key(value));
          if (had) await had.update({ value, position }, { transaction });
          else await ProductAttributeValue.create({ attribute_id: attribute.id, value, position }, { transaction });
        }
        // A renamed attribute or value changes what the catalog filters by.
        const variantIds = (await ProductVariantValue.findAll({ where: { value_id: { [Op.in]: existing.map((v) => v.id) } }, attributes: ['variant_id'], transaction })).map((l) => l.variant_id);
        const productIds = variantIds.length
          ? [...new Set((await ProductVariant.findAll({ where: { id: { [Op.in]: variantIds } }, attributes: ['product_id'], transaction })).map((v) => v.product_id))]
          : [];
        for (const productId of productIds) await refreshOptions(productId, transaction);
        return attribute;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new FormProblem({ name: 'That attribute or one of its values is listed twice.' });
      throw error;
    }
  }

  /**
   * Makes one variant per combination of the chosen values (grouped by attribute), keeping those that exist
   * (a disabled one is enabled again); variants whose combination is no longer chosen are disabled, not
   * deleted, so carts and orders that name them still read.
   */
  async generate(shop: Shop, productId: number, valueIds: number[]): Promise<{ created: number; disabled: number }> {
    const sequelize = ProductVariant.sequelize!;
    return sequelize.transaction(async (transaction) => {
      const product = await this.findOwned(shop, productId, transaction);
      const attributes = await attributesOf(shop.id, transaction);
      const chosen = attributes
        .map(({ attribute, values }) => ({ attribute, values: values.filter((v) => valueIds.includes(v.id)) }))
        .filter((a) => a.values.length > 0);
      const known = new Set(attributes.flatMap((a) => a.values.map((v) => v.id)));
      if (valueIds.some((id) => !known.has(id))) throw new FormProblem({ value_ids: 'Choose values of your shop’s attributes.' });
      if (!chosen.length) throw new FormProblem({ value_ids: 'Choose at least one value of an attribute to make variants.' });
      let combos: number[][] = [[]];
      for (const { values } of chosen) combos = combos.flatMap((c) => values.map((v) => [...c, v.id]));
      if (combos.length > MAX_VARIANTS) throw new FormProblem({ value_ids: `That makes ${combos.length} combinations; a product may have at most ${MAX_VARIANTS}.` });

      const existing = await ProductVariant.findAll({ where: { product_id: product.id }, transaction });
      const byCombination = new Map(existing.map((v) => [v.combination, v]));
      const wanted = new Set(combos.map(combinationOf));
      let created = 0;
      let disabled = 0;
      for (const [position, combo] of combos.entries()) {
        const combination = combinationOf(combo);
        const had = byCombination.get(combination);
        if (had) {
          await had.update({ position, enabled: true }, { transaction });
          continue;
        }
        // A new combination starts at the product's price, with no stock when the product counts its stock.
        const variant = await ProductVariant.create(
          { product_id: product.id, shop_id: shop.id, combination, sku: null, price: null, compare_at_price: null, stock: product.stock === null ? null : 0, image_id: null, enabled: true, position },
          { transaction },
        );
        await ProductVariantValue.bulkCreate(combo.map((value_id) => ({ variant_id: variant.id, value_id })), { transaction });
        created++;
      }
      for (const v of existing) {
        if (!wanted.has(v.combination) && v.enabled) {
          await v.update({ enabled: false }, { transaction });
          disabled++;
        }
      }
      await this.refreshProduct(product, transaction);
      return { created, disabled };
    });
  }

  /** Saves the variants table of the product's variants page: every row or none. */
  async updateVariants(shop: Shop, productId: number, rows: Map<number, VariantRowInput>): Promise<Product> {
    const sequelize = ProductVariant.sequelize!;
    const restocked: ProductVariant[] = [];
    let product: Product;
    try {
      product = await sequelize.transaction(async (transaction) => {
        const current = await this.findOwned(shop, productId, transaction);
        const variants = await ProductVariant.findAll({ where: { product_id: current.id }, transaction });
        const images = new Set((await ProductImage.findAll({ where: { product_id: current.id }, attributes: ['id'], transaction })).map((i) => i.id));
        const errors: Record<string, string> = {};
        for (const [id, row] of rows) {
          if (!variants.some((v) => v.id === id)) errors.form = 'This form was changed: it names a variant of another product. Reload the page and try again.';
          const price = row.price ?? current.price;
          if (row.compare_at_price !== null && row.compare_at_price <= price) errors[`compare_at_price_${id}`] = 'Must be higher than the price (leave blank for no discount)';
          if (row.image_id !== null && !images.has(row.image_id)) errors[`image_id_${id}`] = 'Choose one of this product’s pictures';
        }
        const skus = [...rows.values()].map((r) => r.sku?.toLowerCase()).filter((s): s is string => !!s);
        for (const [id, row] of rows) if (row.sku && skus.filter((s) => s === row.sku!.toLowerCase()).length > 1) errors[`sku_${id}`] = 'Each variant needs its own SKU';
        if (Object.keys(errors).length) throw new FormProblem(errors);
        for (const variant of variants) {
          const row = rows.get(variant.id);
          if (!row) continue;
          const wasOut = variant.enabled && variant.stock !== null && variant.stock <= 0;
          await variant.update({ enabled: row.enabled, sku: row.sku, price: row.price, compare_at_price: row.compare_at_price, stock: row.stock, image_id: row.image_id }, { transaction });
          if (wasOut && row.enabled && (row.stock === null || row.stock > 0)) restocked.push(variant);
        }
        await this.refreshProduct(current, transaction);
        return current;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new FormProblem({ form: 'A SKU you entered is already used by another product of your shop.' });
      throw error;
    }
    await this.hooks.do('shops.product.updated', product);
    // A variant back on sale (from none to some) is the product back for those waiting for that size.
    if (restocked.length) await announceRestocked(this.hooks, [product.id], 'variant');
    return product;
  }

  async refreshProduct(product: Product, transaction: Transaction): Promise<void> {
    await refreshVariantSummary(product, transaction);
  }

  private async findOwned(shop: Shop, productId: number, transaction: Transaction): Promise<Product> {
    const product = await Product.findOne({ where: { id: productId, shop_id: shop.id }, transaction, lock: transaction.LOCK.UPDATE });
    if (!product) throw new ProductNotFound();
    return product;
  }
}

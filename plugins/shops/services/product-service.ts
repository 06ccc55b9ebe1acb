import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Hooks } from '@agora/core';
import { Category } from '../models/category';
import { Product, type ProductStatus } from '../models/product';
import { ProductVariant } from '../models/product-variant';
import { ProductImage } from '../models/product-image';
import { ProductTag } from '../models/product-tag';
import { Shop } from '../models/shop';
import { MAX_PRODUCT_IMAGES, type ProductInput } from '../forms/product-form';
import { FormProblem } from './form-problem';
import { removeUploads, StoredFiles, type ProcessedImage } from './images';
import { slugify } from './text';
import { refreshVariantSummary } from './variant-service';
import { isRestock } from './restock-announce';

type HookRunner = Pick<Hooks, 'do'>;

/** What a change compares against after its commit to know which hooks to fire. */
type ChangeBefore = { price: number; status: ProductStatus; published_at: Date | null; stock: number | null };

const SLUG_TAKEN = 'That address is already used by another product; choose another';
const SKU_TAKEN = 'Another product or variant of your shop has this SKU';

/** Whether a SKU is another product's or a variant's of the shop (SKUs are unique within a shop). */
async function skuTaken(shopId: number, sku: string | null | undefined, transaction: Transaction, exceptId?: number): Promise<boolean> {
  if (!sku) return false;
  const where = exceptId === undefined ? { shop_id: shopId, sku } : { shop_id: shopId, sku, id: { [Op.ne]: exceptId } };
  return (await Product.count({ where, transaction })) > 0 || (await ProductVariant.count({ where: { shop_id: shopId, sku }, transaction })) > 0;
}

async function slugTaken(slug: string, transaction: Transaction, exceptId?: number): Promise<boolean> {
  const where = exceptId === undefined ? { slug } : { slug, id: { [Op.ne]: exceptId } };
  return (await Product.count({ where, transaction })) > 0;
}

/** The title's slug, or with -2, -3... when it is taken (only for slugs we choose, never for one the seller typed). */
async function freeSlugFor(title: string, transaction: Transaction): Promise<string> {
  const base = slugify(title, 180) || 'product';
  if (!(await slugTaken(base, transaction))) return base;
  const taken = new Set(
    (await Product.findAll({ where: { slug: { [Op.like]: `${base}-%` } }, attributes: ['slug'], transaction })).map((p) => p.slug),
  );
  for (let i = 2; i < 10_000; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  return `${base}-${Date.now().toString(36)}`;
}

async function checkCategory(categoryId: number | null, transaction: Transaction): Promise<void> {
  if (categoryId !== null && !(await Category.findByPk(categoryId, { transaction }))) {
    throw new FormProblem({ category_id: 'Choose a category from the list' });
  }
}

async function replaceTags(productId: number, tags: string[], transaction: Transaction): Promise<void> {
  await ProductTag.destroy({ where: { product_id: productId }, transaction });
  if (tags.length) await ProductTag.bulkCreate(tags.map((tag) => ({ product_id: productId, tag })), { transaction });
}

async function adjustPublishedCount(shopId: number, delta: number, transaction: Transaction): Promise<void> {
  if (delta !== 0) await Shop.increment('product_count', { by: delta, where: { id: shopId }, transaction });
}

/**
 * Products of one shop: create, edit, publish. Each change is one transaction; image files are written
 * inside it only after everything was validated, and removed again when it rolls back. Hooks fire after
 * the commit, so listeners never see a product that does not exist.
 */
export class ProductService {
  constructor(
    private readonly uploadsDir: string,
    private readonly hooks: HookRunner,
  ) {}

  async create(shop: Shop, input: ProductInput, images: ProcessedImage[]): Promise<Product> {
    if (images.length > MAX_PRODUCT_IMAGES) throw new FormProblem({ images: `At most ${MAX_PRODUCT_IMAGES} images per product` });
    const files = new StoredFiles(this.uploadsDir);
    const sequelize = Product.sequelize!;
    let product: Product;
    try {
      product = await sequelize.transaction(async (transaction) => {
        if (input.slug && (await slugTaken(input.slug, transaction))) throw new FormProblem({ slug: SLUG_TAKEN });
        if (await skuTaken(shop.id, input.sku, transaction)) throw new FormProblem({ sku: SKU_TAKEN });
        await checkCategory(input.category_id, transaction);
        const published = input.status === 'published';
        const created = await Product.create(
          {
            shop_id: shop.id,
            title: input.title,
            slug: input.slug || (await freeSlugFor(input.title, transaction)),
            sku: input.sku ?? null,
            description: input.description,
            price: input.price,
            compare_at_price: input.compare_at_price,
            currency: shop.currency,
            stock: input.stock,
            category_id: input.category_id,
            status: input.status,
            tax_class: input.tax_class ?? 'standard',
            tags_text: input.tags.join(' '),
            published_at: published ? new Date() : null,
          },
          { transaction },
        );
        await replaceTags(created.id, input.tags, transaction);
        await this.addImages(created, images, 0, files, transaction);
        await this.refreshCover(created, transaction);
        await adjustPublishedCount(shop.id, published ? 1 : 0, transaction);
        return created;
      });
    } catch (error) {
      await files.removeAll();
      if (error instanceof UniqueConstraintError) throw new FormProblem(error.errors.some((e) => e.path === 'sku') ? { sku: SKU_TAKEN } : { slug: SLUG_TAKEN });
      throw error;
    }
    if (product.status === 'published') await this.hooks.do('shops.product.published', product);
    return product;
  }

  async update(shop: Shop, productId: number, input: ProductInput, images: ProcessedImage[]): Promise<Product> {
    const files = new StoredFiles(this.uploadsDir);
    const sequelize = Product.sequelize!;
    let removedPaths: string[] = [];
    let before: ChangeBefore;
    let product: Product;
    try {
      product = await sequelize.transaction(async (transaction) => {
        const current = await this.findOwned(shop, productId, transaction);
        before = { price: current.price, status: current.status, published_at: current.published_at, stock: current.stock };
        const slug = input.slug || current.slug;
        if (slug !== current.slug && (await slugTaken(slug, transaction, current.id))) throw new FormProblem({ slug: SLUG_TAKEN });
        const sku = input.sku === undefined ? current.sku : input.sku;
        if (sku !== current.sku && (await skuTaken(shop.id, sku, transaction, current.id))) throw new FormProblem({ sku: SKU_TAKEN });
        await checkCategory(input.category_id, transaction);

        const existing = await ProductImage.findAll({ where: { product_id: current.id }, order: [['position', 'ASC'], ['id', 'ASC']], transaction });
        const removed = existing.filter((img) => input.remove_images.includes(img.id));
        if (existing.length - removed.length + images.length > MAX_PRODUCT_IMAGES) {
          throw new FormProblem({ images: `At most ${MAX_PRODUCT_IMAGES} images per product; remove some first` });
        }
        if (removed.length) await ProductImage.destroy({ where: { id: removed.map((r) => r.id), product_id: current.id }, transaction });
        removedPaths = removed.flatMap((r) => [r.path, r.thumb_path]);
        const nextPosition = existing.reduce((max, img) => Math.max(max, img.position + 1), 0);
        await this.addImages(current, images, nextPosition, files, transaction);

        const publishing = input.status === 'published' && current.status !== 'published';
        const unpublishing = input.status !== 'published' && current.status === 'published';
        await current.update(
          {
            title: input.title,
            slug,
            sku,
            description: input.description,
            price: input.price,
            compare_at_price: input.compare_at_price,
            // A product with variants has the sum of theirs, set on its variants page.
            stock: current.variant_count > 0 ? current.stock : input.stock,
            category_id: input.category_id,
            status: input.status,
            tax_class: input.tax_class ?? current.tax_class,
            tags_text: input.tags.join(' '),
            published_at: publishing && !current.published_at ? new Date() : current.published_at,
          },
          { transaction },
        );
        await replaceTags(current.id, input.tags, transaction);
        await this.refreshCover(current, transaction);
        // Variants without a price of their own follow the product's: their "from" price may move.
        if (current.variant_count > 0) await refreshVariantSummary(current, transaction);
        await adjustPublishedCount(shop.id, publishing ? 1 : unpublishing ? -1 : 0, transaction);
        return current;
      });
    } catch (error) {
      await files.removeAll();
      if (error instanceof UniqueConstraintError) throw new FormProblem(error.errors.some((e) => e.path === 'sku') ? { sku: SKU_TAKEN } : { slug: SLUG_TAKEN });
      throw error;
    }
    await removeUploads(this.uploadsDir, removedPaths);
    await this.afterChange(product, before!);
    return product;
  }

  /** Publishes or unpublishes without touching anything else (the buttons on the products list). */
  async setStatus(shop: Shop, productId: number, status: ProductStatus): Promise<Product> {
    let before: ChangeBefore;
    const product = await Product.sequelize!.transaction(async (transaction) => {
      const current = await this.findOwned(shop, productId, transaction);
      before = { price: current.price, status: current.status, published_at: current.published_at, stock: current.stock };
      if (current.status === status) return current;
      await current.update({ status, published_at: status === 'published' && !current.published_at ? new Date() : current.published_at }, { transaction });
      await adjustPublishedCount(shop.id, status === 'published' ? 1 : -1, transaction);
      return current;
    });
    if (before!.status !== status) await this.afterChange(product, before!);
    return product;
  }

  /** A product of this shop, locked for the change; ownership is part of the lookup, so another shop's id is simply not found. */
  private async findOwned(shop: Shop, productId: number, transaction: Transaction): Promise<Product> {
    const product = await Product.findOne({ where: { id: productId, shop_id: shop.id }, transaction, lock: transaction.LOCK.UPDATE });
    if (!product) throw new ProductNotFound();
    return product;
  }

  private async addImages(product: Product, images: ProcessedImage[], firstPosition: number, files: StoredFiles, transaction: Transaction): Promise<void> {
    if (!images.length) return;
    const stored = await files.store(`products/${product.id}`, images);
    await ProductImage.bulkCreate(
      stored.map((paths, i) => ({ product_id: product.id, path: paths[''], thumb_path: paths['-thumb'], alt: product.title, position: firstPosition + i })),
      { transaction },
    );
  }

  /** The first image's thumbnail is kept on the product, so catalog pages need no join. */
  private async refreshCover(product: Product, transaction: Transaction): Promise<void> {
    const first = await ProductImage.findOne({ where: { product_id: product.id }, order: [['position', 'ASC'], ['id', 'ASC']], transaction });
    const cover = first?.thumb_path ?? null;
    if (product.image_path !== cover) await product.update({ image_path: cover }, { transaction });
  }

  /**
   * `shops.product.published` fires the first time a product goes live (re-publishing after a pause does
   * not announce it to followers again); `shops.product.discounted` when a live product's price went down
   * and now sits below its compare-at price; `shops.product.restocked` when a live product's stock went
   * from 0 to some.
   */
  private async afterChange(product: Product, before: ChangeBefore): Promise<void> {
    await this.hooks.do('shops.product.updated', product);
    if (product.status === 'published' && before.status !== 'published' && before.published_at === null) {
      await this.hooks.do('shops.product.published', product);
    }
    if (product.status === 'published' && product.price < before.price && product.isDiscounted()) {
      await this.hooks.do('shops.product.discounted', product, before.price);
    }
    // Back in stock for the people waiting for it; a product published with stock for the first time is new, not restocked.
    if (product.status === 'published' && before.status === 'published' && isRestock(before.stock, product.stock)) {
      await this.hooks.do('shops.product.restocked', product, { at: new Date(), via: 'edit' });
    }
  }
}

export class ProductNotFound extends Error {
  constructor() {
    super('No such product in this shop');
  }
}

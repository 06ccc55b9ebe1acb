import { hashPassword, User, type PluginContext } from '@agora/core';
import { Category } from '../models/category';
import { Shop } from '../models/shop';
import { ProductService } from '../services/product-service';
import { ShopService } from '../services/shop-service';
import { PRODUCT_VARIANTS } from '../services/images';
import { DEMO_CATEGORIES, DEMO_SHOPS } from './demo-data';
import { demoProductPicture } from './svg-image';

/** Every n-th demo product (the first of each shop among them) has two pictures. */
export const DEMO_GALLERY_EVERY = 3;

/**
 * The demo marketplace, made on the first start of an empty store with DEMO_SEED on (core fires
 * `core.demo.seeded` once). It goes through the same services as the seller forms, so the demo shows
 * what the forms make. Safe to run twice: a seller, category or shop that exists is left alone.
 */
export async function seedDemoCatalog(ctx: PluginContext): Promise<void> {
  const products = new ProductService(ctx.config.uploadsDir, ctx.hooks);
  const shops = new ShopService(ctx.config.uploadsDir, ctx.hooks);

  const categoryIds = new Map<string, number>();
  for (const [position, c] of DEMO_CATEGORIES.entries()) {
    const [row] = await Category.findOrCreate({ where: { slug: c.slug }, defaults: { name: c.name, slug: c.slug, position } });
    categoryIds.set(c.slug, row.id);
  }

  // The slow parts (password hashes, drawing the pictures) run in parallel first; rows are then written one by one.
  // Every third product gets a second picture, so the demo shows the product page's gallery.
  const draw = (title: string, category: string, variant: number) => demoProductPicture(title, category, variant, PRODUCT_VARIANTS);
  const [hashes, pictures] = await Promise.all([
    Promise.all(DEMO_SHOPS.map((d) => hashPassword(d.seller.password))),
    Promise.all(
      DEMO_SHOPS.map((d) =>
        Promise.all(d.products.map((p, i) => Promise.all(i % DEMO_GALLERY_EVERY === 0 ? [draw(p.title, p.category, 0), draw(p.title, p.category, 1)] : [draw(p.title, p.category, 0)]))),
      ),
    ),
  ]);

  for (const [s, demo] of DEMO_SHOPS.entries()) {
    if (await Shop.findOne({ where: { slug: demo.shop.slug } })) continue;
    let user = await User.findOne({ where: { email: demo.seller.email } });
    user ??= await User.create({
      username: demo.seller.username,
      email: demo.seller.email,
      first_name: demo.seller.first,
      last_name: demo.seller.last,
      display_name: `${demo.seller.first} ${demo.seller.last}`,
      password_hash: hashes[s],
      birth_date: null,
      role: 'seller',
      email_verified_at: new Date(),
    });
    const shop = await shops.open(
      user.id,
      {
        name: demo.shop.name,
        slug: demo.shop.slug,
        description: demo.shop.description,
        location: demo.shop.location,
        // What the demo invoices print as the seller's legal details.
        legal_name: `${demo.shop.name} SARL`,
        legal_address: `${demo.shop.location}`,
        vat_number: '',
        currency: 'EUR',
        policy_terms: demo.shop.terms,
        policy_returns: demo.shop.returns,
        policy_shipping: demo.shop.shipping,
        shipping: demo.methods.map((m) => ({ id: null, ...m })),
      },
      {},
    );
    for (const [i, p] of demo.products.entries()) {
      await products.create(
        shop,
        {
          title: p.title,
          slug: '',
          description: p.description,
          price: p.price,
          compare_at_price: p.compareAt ?? null,
          stock: p.stock ?? null,
          category_id: categoryIds.get(p.category) ?? null,
          tags: p.tags,
          status: 'published',
          remove_images: [],
        },
        pictures[s][i],
      );
    }
  }
  ctx.log.info({ shops: DEMO_SHOPS.length, products: DEMO_SHOPS.reduce((n, s) => n + s.products.length, 0) }, 'demo shops and products created');
}

import { QueryTypes } from 'sequelize';
import { productsCsv, sendCsv } from '../services/order-search';
import type { Request, Response } from 'express';
import { type PluginContext, requireUser, forbidden, notFound, type FieldErrors } from '@agora/core';
import { Announcement } from '../models/announcement';
import { Product } from '../models/product';
import { ProductImage } from '../models/product-image';
import { ProductTag } from '../models/product-tag';
import { ShippingMethod } from '../models/shipping-method';
import type { Shop } from '../models/shop';
import { MAX_PRODUCT_IMAGES, parseProductForm, productFormValues } from '../forms/product-form';
import { parseOpenShopForm, parseShopSettingsForm, resubmittedValues, shippingRows, shopFormValues, SHOP_CURRENCIES } from '../forms/shop-form';
import { BANNER_VARIANTS, LOGO_VARIANTS, megabytes, PRODUCT_VARIANTS } from '../services/images';
import { FormProblem } from '../services/form-problem';
import { ProductNotFound, ProductService } from '../services/product-service';
import { requireSellerShop, sellerShopOf } from '../services/shop-access';
import { ShopService } from '../services/shop-service';
import { categoryTree } from './catalog-routes';
import { formUploadProblem, idParam, imagesFrom } from './upload-helpers';
import { KeptUploads } from './kept-uploads';
import { renderProductList } from './product-bulk-routes';

/** What the seller dashboard shows about orders, in one aggregate query over the shop's orders. */
export interface SalesSummary {
  orders: number;
  pending: number;
  toShip: number;
  sales: number;
}

const SOLD = "('paid', 'shipped', 'completed')";

export async function salesSummary(shopId: number): Promise<SalesSummary> {
  const [row] = await Product.sequelize!.query<Record<keyof SalesSummary, number | string | null>>(
    `SELECT COUNT(*) AS orders,
       SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,
       SUM(CASE WHEN status = 'paid' THEN 1 ELSE 0 END) AS "toShip",
       SUM(CASE WHEN status IN ${SOLD} THEN total - refunded_total ELSE 0 END) AS sales
     FROM orders WHERE shop_id = :shopId`,
    { replacements: { shopId }, type: QueryTypes.SELECT },
  );
  return { orders: Number(row?.orders ?? 0), pending: Number(row?.pending ?? 0), toShip: Number(row?.toShip ?? 0), sales: Number(row?.sales ?? 0) };
}

/** /seller: opening a shop, the dashboard, products and shop settings. Every query is scoped by the seller's shop. */
export function sellerRoutes(ctx: PluginContext): void {
  const { router, capabilities: caps } = ctx;
  const maxBytes = ctx.config.UPLOAD_MAX_BYTES;
  const products = new ProductService(ctx.config.uploadsDir, ctx.hooks);
  const shops = new ShopService(ctx.config.uploadsDir, ctx.hooks);
  const seller = requireSellerShop(caps.can);
  const shopOf = (req: Request): Shop => req.sellerShop!;

  // Opening a shop
  const openForm = (res: Response, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) =>
    res.renderPage('shops/seller/open', { title: 'Open your shop', values, errors, currencies: SHOP_CURRENCIES, maxUpload: megabytes(maxBytes) }, status);

  const mayOpen = async (req: Request, res: Response): Promise<boolean> => {
    if (!(await caps.can(req.user, 'shops.shop.open'))) throw forbidden();
    if (await sellerShopOf(req.user!.id)) {
      res.flash('info', 'You already run a shop.');
      res.redirect(303, '/seller');
      return false;
    }
    return true;
  };

  router.get('/seller/open', requireUser, async (req, res) => {
    if (!(await mayOpen(req, res))) return;
    await openForm(res, { currency: 'EUR', shipping: shippingRows([{ id: '', name: 'Standard', price: '', free_over: '', countries: '' }]).slice(0, 2) });
  });

  router.post(
    '/seller/open',
    requireUser,
    ctx.files.upload([{ name: 'logo', maxCount: 1 }, { name: 'banner', maxCount: 1 }]),
    async (req, res) => {
      if (!(await mayOpen(req, res))) return;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const parsed = parseOpenShopForm(body);
      const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
      formUploadProblem(req, errors);
      const [logo] = await imagesFrom(req, 'logo', LOGO_VARIANTS, maxBytes, errors);
      const [banner] = await imagesFrom(req, 'banner', BANNER_VARIANTS, maxBytes, errors);
      if (!parsed.ok || Object.keys(errors).length) return openForm(res, resubmittedValues(body), errors, 422);
      try {
        const shop = await shops.open(req.user!.id, parsed.data, { logo, banner });
        // The seller role is earned here; grantRole never lowers an admin or moderator and gives this session a new id.
        await ctx.roles.grant(req, req.user!, 'seller');
        res.flash('success', `Your shop "${shop.name}" is open. Add your first product.`);
        res.redirect(303, '/seller');
      } catch (error) {
        if (!(error instanceof FormProblem)) throw error;
        await openForm(res, resubmittedValues(body), error.errors, 422);
      }
    },
  );

  // Dashboard
  router.get('/seller', ...seller, async (req, res) => {
    const shop = shopOf(req);
    const [counts, sales, announcements] = await Promise.all([
      Product.sequelize!.query<{ status: string; n: number | string }>('SELECT status, COUNT(*) AS n FROM products WHERE shop_id = :shopId GROUP BY status', {
        replacements: { shopId: shop.id },
        type: QueryTypes.SELECT,
      }),
      salesSummary(shop.id),
      Announcement.findAll({ order: [['created_at', 'DESC'], ['id', 'DESC']], limit: 5 }),
    ]);
    const productCounts = { published: 0, draft: 0 } as Record<string, number>;
    for (const c of counts) productCounts[c.status] = Number(c.n);
    await res.renderPage('shops/seller/dashboard', { title: `${shop.name}: dashboard`, shop, productCounts, sales, announcements });
  });

  // Products
  // The list with its filters and the bulk edit form (routes/product-bulk-routes.ts).
  router.get('/seller/products', ...seller, async (req, res) => renderProductList(req, res, shopOf(req)));

  router.get('/seller/products.csv', ...seller, async (req, res) => {
    const shop = shopOf(req);
    await sendCsv(res, `products-${shop.slug}-${new Date().toISOString().slice(0, 10)}.csv`, productsCsv(shop.id));
  });

  const kept = new KeptUploads(ctx);
  const productForm = async (res: Response, shop: Shop, locals: { product?: Product; values: Record<string, unknown>; errors?: FieldErrors; kept?: string[] }, status = 200) => {
    const images = locals.product ? await ProductImage.findAll({ where: { product_id: locals.product.id }, order: [['position', 'ASC'], ['id', 'ASC']] }) : [];
    await res.renderPage(
      'shops/seller/product-form',
      {
        title: locals.product ? `Edit ${locals.product.title}` : 'Add a product',
        shop,
        product: locals.product,
        images,
        values: locals.values,
        errors: locals.errors ?? {},
        categories: await categoryTree(),
        maxImages: MAX_PRODUCT_IMAGES,
        maxUpload: megabytes(maxBytes),
        keptUploads: locals.kept ?? [],
      },
      status,
    );
  };

  // Core's multipart parser, capped at UPLOAD_MAX_BYTES per file (ctx.files.upload).
  const imageUpload = ctx.files.upload([{ name: 'images', maxCount: MAX_PRODUCT_IMAGES }]);

  router.get('/seller/products/new', ...seller, async (req, res) => {
    await productForm(res, shopOf(req), { values: { status: 'draft' } });
  });

  router.post('/seller/products', ...seller, imageUpload, async (req, res) => {
    const shop = shopOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = parseProductForm(body, shop.currency);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    formUploadProblem(req, errors);
    const keptIds = kept.idsFrom(req, body);
    const accepted: Express.Multer.File[] = [];
    const images = [...(await kept.images(keptIds, PRODUCT_VARIANTS, maxBytes, errors)), ...(await imagesFrom(req, 'images', PRODUCT_VARIANTS, maxBytes, errors, accepted))];
    // Refused for another field: the pictures that were fine are kept for the next try.
    const refuse = async (errs: FieldErrors) => productForm(res, shop, { values: body, errors: errs, kept: [...keptIds, ...(await kept.keep(req, accepted))] }, 422);
    if (!parsed.ok || Object.keys(errors).length) return refuse(errors);
    try {
      const product = await products.create(shop, parsed.data, images);
      await kept.release(req, keptIds);
      res.flash('success', `"${product.title}" was saved as ${product.status === 'published' ? 'published' : 'a draft'}.`);
      res.redirect(303, '/seller/products');
    } catch (error) {
      if (!(error instanceof FormProblem)) throw error;
      await refuse(error.errors);
    }
  });

  router.get('/seller/uploads/:id', ...seller, async (req, res) => kept.send(req, res));

  /** The product with this id in the seller's own shop; any other id is a 404, whoever owns it. */
  const ownProduct = async (req: Request): Promise<Product> => {
    const id = idParam(req.params.id);
    const product = id === undefined ? null : await Product.findOne({ where: { id, shop_id: shopOf(req).id } });
    if (!product || !(await caps.can(req.user, 'shops.shop.manage', product))) throw notFound('product');
    return product;
  };

  router.get('/seller/products/:id/edit', ...seller, async (req, res) => {
    const product = await ownProduct(req);
    const tags = (await ProductTag.findAll({ where: { product_id: product.id } })).map((t) => t.tag);
    await productForm(res, shopOf(req), { product, values: productFormValues(product, tags) });
  });

  router.post('/seller/products/:id', ...seller, imageUpload, async (req, res) => {
    const shop = shopOf(req);
    const product = await ownProduct(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = parseProductForm(body, shop.currency);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    formUploadProblem(req, errors);
    const keptIds = kept.idsFrom(req, body);
    const accepted: Express.Multer.File[] = [];
    const images = [...(await kept.images(keptIds, PRODUCT_VARIANTS, maxBytes, errors)), ...(await imagesFrom(req, 'images', PRODUCT_VARIANTS, maxBytes, errors, accepted))];
    const refuse = async (errs: FieldErrors) => productForm(res, shop, { product, values: body, errors: errs, kept: [...keptIds, ...(await kept.keep(req, accepted))] }, 422);
    if (!parsed.ok || Object.keys(errors).length) return refuse(errors);
    try {
      const saved = await products.update(shop, product.id, parsed.data, images);
      await kept.release(req, keptIds);
      res.flash('success', `"${saved.title}" was saved.`);
      res.redirect(303, '/seller/products');
    } catch (error) {
      if (error instanceof ProductNotFound) throw notFound('product');
      if (!(error instanceof FormProblem)) throw error;
      await refuse(error.errors);
    }
  });

  for (const [action, status] of [['publish', 'published'], ['unpublish', 'draft']] as const) {
    router.post(`/seller/products/:id/${action}`, ...seller, async (req, res) => {
      const product = await ownProduct(req);
      try {
        await products.setStatus(shopOf(req), product.id, status);
      } catch (error) {
        if (error instanceof ProductNotFound) throw notFound('product');
        throw error;
      }
      res.flash('success', status === 'published' ? `"${product.title}" is live.` : `"${product.title}" is hidden from buyers.`);
      res.redirect(303, '/seller/products');
    });
  }

  // Shop settings
  const settingsForm = (res: Response, shop: Shop, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) =>
    res.renderPage('shops/seller/settings', { title: 'Shop settings', shop, values, errors, maxUpload: megabytes(maxBytes) }, status);

  router.get('/seller/settings', ...seller, async (req, res) => {
    const shop = shopOf(req);
    const methods = await ShippingMethod.findAll({ where: { shop_id: shop.id }, order: [['position', 'ASC'], ['id', 'ASC']] });
    await settingsForm(res, shop, shopFormValues(shop, methods));
  });

  router.post(
    '/seller/settings',
    ...seller,
    ctx.files.upload([{ name: 'logo', maxCount: 1 }, { name: 'banner', maxCount: 1 }]),
    async (req, res) => {
      const shop = shopOf(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const parsed = parseShopSettingsForm(body, shop.currency);
      const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
      formUploadProblem(req, errors);
      const [logo] = await imagesFrom(req, 'logo', LOGO_VARIANTS, maxBytes, errors);
      const [banner] = await imagesFrom(req, 'banner', BANNER_VARIANTS, maxBytes, errors);
      if (!parsed.ok || Object.keys(errors).length) return settingsForm(res, shop, resubmittedValues(body), errors, 422);
      await shops.update(shop.id, parsed.data, { logo, banner });
      res.flash('success', 'Your shop settings were saved.');
      res.redirect(303, '/seller/settings');
    },
  );
}

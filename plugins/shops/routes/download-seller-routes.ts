import type { Request, Response } from 'express';
import { type PluginContext, type FieldErrors, filesOf, notFound, parseForm, requireUser } from '@agora/core';
import { Order } from '../models/order';
import { Product } from '../models/product';
import { DOWNLOAD_SETTINGS_FIELDS, MAX_PRODUCT_DOWNLOADS, downloadFormValues, downloadSettingsSchema } from '../forms/download-form';
import { unknownFields } from '../forms/cart-form';
import type { ShopsSettings } from '../settings';
import { DownloadFiles, fileSize, filesOfProduct } from '../services/download-files';
import { downloadTerms, restoreDownloads } from '../services/download-service';
import { FormProblem } from '../services/form-problem';
import { requireSellerShop } from '../services/shop-access';
import { formUploadProblem, idParam } from './upload-helpers';

const MB = 1024 * 1024;

/**
 * /seller/products/:id/downloads: whether a product sells as a download, its own limit and link lifetime, and
 * its files (uploaded to core's private files, never to a public address). Only the product's shop sees it.
 */
export function downloadSellerRoutes(ctx: PluginContext): void {
  const { router, capabilities: caps } = ctx;
  const settings = () => ctx.settings.get<ShopsSettings>();
  const seller = requireSellerShop(caps.can);
  const files = new DownloadFiles(ctx.files.private);
  // The cap is the store's setting at the time of the request, not at start.
  const upload = (req: Request, res: Response, next: (error?: unknown) => void) => ctx.files.upload([{ name: 'files', maxCount: MAX_PRODUCT_DOWNLOADS }], settings().downloadMaxMegabytes * MB)(req, res, next);

  const ownProduct = async (req: Request): Promise<Product> => {
    const id = idParam(req.params.id);
    const product = id === undefined ? null : await Product.findOne({ where: { id, shop_id: req.sellerShop!.id } });
    if (!product || !(await caps.can(req.user, 'shops.shop.manage', product))) throw notFound('product');
    return product;
  };

  const page = async (res: Response, product: Product, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) => {
    const s = settings();
    const storeTerms = downloadTerms({ download_limit: null, download_days: null }, s);
    await res.renderPage(
      'shops/seller/downloads',
      { title: `Downloads of ${product.title}`, shop: res.locals.sellerShop, product, files: await filesOfProduct(product.id), values, errors, storeTerms, fileSize, maxFiles: MAX_PRODUCT_DOWNLOADS, maxMegabytes: s.downloadMaxMegabytes },
      status,
    );
  };

  const base = (product: Product) => `/seller/products/${product.id}/downloads`;

  router.get('/seller/products/:id/downloads', ...seller, async (req, res) => {
    const product = await ownProduct(req);
    await page(res, product, downloadFormValues(product));
  });

  router.post('/seller/products/:id/downloads', ...seller, upload, async (req, res) => {
    const product = await ownProduct(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { ...body, is_digital: body.is_digital === 'on' };
    const tampered = unknownFields(body, (k) => DOWNLOAD_SETTINGS_FIELDS.has(k));
    if (tampered) return page(res, product, values, tampered, 422);
    const parsed = parseForm(downloadSettingsSchema, body);
    const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
    formUploadProblem(req, errors);
    if (req.uploadProblem?.field === 'files') errors.files = req.uploadProblem.message;
    if (!parsed.ok || Object.keys(errors).length) return page(res, product, values, errors, 422);
    try {
      const { added } = await files.save(product, parsed.data, filesOf(req, 'files'));
      const what = parsed.data.is_digital ? 'It sells as a download: buyers get a link after payment, and nothing is shipped.' : 'It sells as a parcel.';
      res.flash('success', `${added ? `${added} ${added === 1 ? 'file' : 'files'} added. ` : ''}${what}`);
      res.redirect(303, base(product));
    } catch (error) {
      if (!(error instanceof FormProblem)) throw error;
      await page(res, product, values, error.errors, 422);
    }
  });

  router.post('/seller/products/:id/downloads/:file/remove', ...seller, async (req, res) => {
    const product = await ownProduct(req);
    const fileId = idParam(req.params.file);
    try {
      const removed = fileId === undefined ? null : await files.remove(product, fileId);
      if (!removed) throw notFound('file');
      res.flash('success', `“${removed.name}” was removed. Buyers who paid for it keep their link.`);
      res.redirect(303, base(product));
    } catch (error) {
      if (!(error instanceof FormProblem)) throw error;
      await page(res, product, downloadFormValues(product), error.errors, 422);
    }
  });

  // A refund ends an order's downloads; the seller may give them back (a partial refund of a mixed order's parcel).
  router.post('/seller/orders/:number/downloads/restore', requireUser, async (req, res) => {
    const number = String(req.params.number);
    const order = /^[A-Z0-9-]{5,40}$/.test(number) ? await Order.findOne({ where: { number } }) : null;
    if (!order || !(await caps.can(req.user, 'shops.order.manage', order))) throw notFound('order');
    const restored = await restoreDownloads(order.id);
    res.flash('success', restored ? `The buyer can download again (${restored} ${restored === 1 ? 'file' : 'files'}).` : 'Nothing to restore: the downloads of this order work.');
    res.redirect(303, `/seller/orders/${encodeURIComponent(order.number)}`);
  });

  // The seller checks what buyers get.
  router.get('/seller/products/:id/downloads/:file', ...seller, async (req, res) => {
    const product = await ownProduct(req);
    const fileId = idParam(req.params.file);
    const file = fileId === undefined ? undefined : (await filesOfProduct(product.id)).find((f) => f.id === fileId);
    if (!file) throw notFound('file');
    await ctx.files.private.send(res, file.file_id);
  });
}

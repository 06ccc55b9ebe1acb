import { type PluginContext, formatMoney } from '@agora/core';
import { CheckoutGroup } from './models/checkout-group';
import { Order } from './models/order';
import { Shop } from './models/shop';
import { ProductDownload } from './models/product-download';
import { DownloadGrant } from './models/product-download-grant';
import { DownloadRecord } from './models/product-download-record';
import { registerDownloadPrivacy } from './privacy-downloads';
import { downloadRoutes } from './routes/download-routes';
import { downloadSellerRoutes } from './routes/download-seller-routes';
import type { ShopsSettings } from './settings';
import { fileSize, filesOfProduct } from './services/download-files';
import { downloadTerms, grantDownloads, revokeDownloads } from './services/download-service';
import { hasDownloads, orderDownloads } from './services/download-view';
import { buyerLink } from './services/order-mail';
import { seedDemoDownload } from './demo/demo-download';

const DOWNLOADS_MAIL_JOB = 'downloads-ready-mail';

declare module '@agora/core' {
  interface JobMap {
    /** Sends the buyer of a paid order the links to its downloads. */
    'shops.downloads-ready-mail': { orderId: number };
  }
}

/**
 * Digital goods (issue 17, docs/shops-digital.md): a product delivered as private files after payment. The
 * seller's downloads page, the buyer's signed link, the grants made when an order is paid (after its commit)
 * and ended by a refund, the links on the order pages and in their own email, and their privacy pieces.
 */
export function setupDownloads(ctx: PluginContext): void {
  for (const model of [ProductDownload, DownloadGrant, DownloadRecord]) model.initModel(ctx.sequelize);
  const settings = () => ctx.settings.get<ShopsSettings>();
  const secret = ctx.config.sessionSecret;

  downloadSellerRoutes(ctx);
  downloadRoutes(ctx);
  registerDownloadPrivacy(ctx);

  // Paid (by any path: the seller, a webhook, an immediate payment), after the commit: grant, then tell the buyer.
  ctx.hooks.on('shops.order.paid', async (order) => {
    const granted = await grantDownloads(order.id, settings());
    if (granted.length) await ctx.jobs.enqueue(DOWNLOADS_MAIL_JOB, { orderId: order.id }, { dedupeKey: `downloads-ready:${order.id}` });
  });
  // The money went back, so do the files: every refund the provider confirmed ends the order's downloads.
  ctx.hooks.on('shops.order.refunded', async (order, refund) => {
    await revokeDownloads(order.id, `Ended by the refund of ${formatMoney(refund.amount, order.currency)}`);
  });

  ctx.jobs.define(DOWNLOADS_MAIL_JOB, async (payload) => {
    const order = await Order.findByPk(Number(payload.orderId));
    if (!order || order.anonymized_at) return;
    const [shop, group] = await Promise.all([Shop.findByPk(order.shop_id), CheckoutGroup.findByPk(order.group_id)]);
    if (!shop || !group) return;
    const { rows } = await orderDownloads(order, secret, group.reference, settings());
    if (!rows.length) return;
    await ctx.mail.send({
      to: order.email,
      userId: order.buyer_id ?? undefined,
      subject: `Your downloads from ${shop.name}: order ${order.number}`,
      template: 'shops/mail/downloads-ready',
      data: { order, shop, rows, link: buyerLink(ctx, order, group.reference) },
    });
  });

  const section = async (order: Order, reference: string, forSeller = false) => {
    const downloads = await orderDownloads(order, secret, reference, settings());
    if (!downloads.rows.length && !downloads.awaitingPayment) return undefined;
    const restoreAction = forSeller ? `/seller/orders/${encodeURIComponent(order.number)}/downloads/restore` : null;
    return { template: 'shops/downloads/order-downloads', data: { downloads, downloadsForSeller: forSeller, restoreAction, downloadsTitle: forSeller ? 'Downloads' : 'Your downloads' } };
  };
  ctx.slot('shops.account.order', ({ order, group }) => section(order, group.reference));
  ctx.slot('shops.seller.order', ({ order, group }) => section(order, group.reference, true));
  ctx.slot('shops.checkout.confirmation', async ({ group, orders }) => {
    const parts = [];
    for (const { order, shop } of orders) {
      const part = await section(order, group.reference);
      if (part) parts.push({ ...part, data: { ...part.data, downloadsTitle: orders.length > 1 ? `Your downloads from ${shop?.name ?? 'the shop'}` : 'Your downloads' } });
    }
    return parts;
  });

  // The "payment received" email points to the downloads' own email.
  ctx.slot('shops.mail.order_status', async ({ order, status }) => {
    if (status !== 'paid' || !(await hasDownloads(order))) return undefined;
    return { html: '<p>Your downloads are ready: the links are in an email of their own, and on your order page.</p>' };
  });

  // After the catalog (10), before the demo orders (20).
  ctx.hooks.on('core.demo.seeded', () => seedDemoDownload(ctx), { priority: 15 });

  // The product page says how it is delivered.
  ctx.slot('shops.product.after_price', async ({ product }) => {
    if (!product.is_digital) return undefined;
    const files = await filesOfProduct(product.id);
    const terms = downloadTerms(product, settings());
    return { template: 'shops/downloads/product-delivery', data: { deliveryFiles: files.map((f) => ({ name: f.name, size: fileSize(f.size) })), deliveryTerms: terms } };
  });
}

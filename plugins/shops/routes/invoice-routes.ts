import crypto from 'node:crypto';
import type { Request } from 'express';
import { type PluginContext, notFound, formatMoney, pageFrom, pager } from '@agora/core';
import { Invoice } from '../models/invoice';
import { Order } from '../models/order';
import { invoicePdf } from '../services/invoice-pdf';
import { invoiceData } from '../services/invoice-service';
import { rateText } from '../services/order-pricing';
import { requireSellerShop } from '../services/shop-access';
import { idParam } from './upload-helpers';

const PER_PAGE = 50;

/** The key of a guest's invoice link (in the paid-order email): an HMAC of the invoice id with the site's secret. */
export function invoiceKey(secret: string, invoiceId: number): string {
  return crypto.createHmac('sha256', secret).update(`shops.invoice:${invoiceId}`).digest('base64url').slice(0, 32);
}

export function invoicePath(secret: string, invoice: { id: number; buyer_id: number | null }, format: 'html' | 'pdf' = 'html'): string {
  const path = `/invoices/${invoice.id}${format === 'pdf' ? '/pdf' : ''}`;
  return invoice.buyer_id === null ? `${path}?key=${invoiceKey(secret, invoice.id)}` : path;
}

/**
 * Invoices and credit notes, as HTML and as a PDF made on the server: the buyer (their account, or a guest's
 * link with its key), the shop's members and the admin see them; anyone else gets a 404.
 */
export function invoiceRoutes(ctx: PluginContext): void {
  const { router, capabilities: caps } = ctx;
  const secret = ctx.config.sessionSecret;

  const visible = async (req: Request): Promise<Invoice> => {
    const raw = req.params.id;
    const id = typeof raw === 'string' ? idParam(raw) : undefined;
    const invoice = id === undefined ? null : await Invoice.findByPk(id);
    if (!invoice) throw notFound('invoice');
    const key = req.query.key;
    if (typeof key === 'string' && key.length === 32 && crypto.timingSafeEqual(Buffer.from(key), Buffer.from(invoiceKey(secret, invoice.id)))) return invoice;
    const order = req.user ? await Order.findByPk(invoice.order_id, { attributes: ['id', 'buyer_id', 'shop_id'] }) : null;
    if (order && (await caps.can(req.user, 'shops.order.view', order))) return invoice;
    throw notFound('invoice');
  };

  router.get('/invoices/:id', async (req, res) => {
    const invoice = await visible(req);
    const data = invoiceData(invoice);
    const key = typeof req.query.key === 'string' ? `?key=${encodeURIComponent(req.query.key)}` : '';
    res.set('Cache-Control', 'private, no-store');
    await res.renderPage('shops/invoices/invoice', { title: `${data.kind === 'invoice' ? 'Invoice' : 'Credit note'} ${data.number}`, invoice, data, pdfHref: `/invoices/${invoice.id}/pdf${key}`, rateText });
  });

  router.get('/invoices/:id/pdf', async (req, res) => {
    const invoice = await visible(req);
    const pdf = await invoicePdf(invoiceData(invoice));
    res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${invoice.number}.pdf"`, 'Cache-Control': 'private, no-store' });
    res.send(pdf);
  });

  const seller = requireSellerShop(caps.can);
  router.get('/seller/invoices', ...seller, async (req, res) => {
    const shop = req.sellerShop!;
    const page = pageFrom(req.query, PER_PAGE);
    const { rows, count } = await Invoice.findAndCountAll({
      where: { shop_id: shop.id },
      attributes: ['id', 'kind', 'number', 'order_id', 'currency', 'total', 'issued_at', 'buyer_id'],
      order: [['issued_at', 'DESC'], ['id', 'DESC']],
      limit: page.perPage,
      offset: page.offset,
    });
    const orders = await Order.findAll({ where: { id: [...new Set(rows.map((r) => r.order_id))] }, attributes: ['id', 'number'] });
    await res.renderPage('shops/seller/invoices', {
      title: 'Invoices',
      shop,
      invoices: rows.map((invoice) => ({ invoice, orderNumber: orders.find((o) => o.id === invoice.order_id)?.number ?? '' })),
      pager: pager('/seller/invoices', req.query as Record<string, unknown>, { page: page.page, perPage: PER_PAGE, total: count, noun: 'documents' }),
      formatMoney,
    });
  });

  // The order pages list the order's invoice and credit notes.
  const links = async (order: Order, seller: boolean): Promise<{ html: string }> => {
    const docs = await Invoice.findAll({ where: { order_id: order.id }, attributes: ['id', 'kind', 'number', 'buyer_id', 'total', 'currency'], order: [['id', 'ASC']] });
    if (docs.length === 0) return { html: '' };
    const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const items = docs
      .map((d) => {
        const path = seller ? `/invoices/${d.id}` : invoicePath(secret, d);
        const pdf = seller ? `/invoices/${d.id}/pdf` : invoicePath(secret, d, 'pdf');
        return `<li>${d.kind === 'invoice' ? 'Invoice' : 'Credit note'} <a href="${esc(path)}">${esc(d.number)}</a> · ${esc(formatMoney(d.total, d.currency))} · <a href="${esc(pdf)}">PDF</a></li>`;
      })
      .join('');
    return { html: `<section class="panel order-invoices"><h2>Invoices</h2><ul>${items}</ul></section>` };
  };
  ctx.slot('shops.account.order', ({ order }) => links(order, false));
  ctx.slot('shops.seller.order', ({ order }) => links(order, true));
}

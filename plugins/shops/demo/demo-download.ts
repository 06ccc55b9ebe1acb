import type { PluginContext } from '@agora/core';
import { Product } from '../models/product';
import { ProductDownload } from '../models/product-download';
import { DownloadFiles } from '../services/download-files';

/** The demo product sold as a download: the pottery shop's gift card, printable. */
const DEMO_DOWNLOAD_TITLE = 'Pottery Gift Card';

async function giftCardPdf(): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit'); // loaded for the demo seed only
  const doc = new PDFDocument({ size: 'A5', layout: 'landscape', margin: 40, info: { Title: 'Terra Ceramics gift card', Author: 'Terra Ceramics' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(28).text('Gift card', { align: 'center' });
  doc.moveDown().font('Helvetica').fontSize(16).text('Fifty euros to spend at Terra Ceramics', { align: 'center' });
  doc.moveDown().fontSize(11).text('Print this card, write a name on it and give it away. (A demo file of the Agora marketplace.)', { align: 'center' });
  doc.end();
  return done;
}

/**
 * On the demo store, one product is a download (docs/shops-digital.md), so `npm start` shows a cart without
 * delivery, a checkout without address and a download link. Safe to run twice: a product with files is left alone.
 */
export async function seedDemoDownload(ctx: PluginContext): Promise<void> {
  const product = await Product.findOne({ where: { title: DEMO_DOWNLOAD_TITLE } });
  if (!product || (await ProductDownload.count({ where: { product_id: product.id } }))) return;
  const file = await giftCardPdf();
  await new DownloadFiles(ctx.files.private).save(product, { is_digital: true, download_limit: null, download_days: null }, [
    { buffer: file, originalname: 'terra-ceramics-gift-card.pdf', size: file.length },
  ]);
  await product.update({ description: 'A printable gift card (PDF) worth fifty euros at Terra Ceramics: delivered as a download, nothing is shipped.' });
}

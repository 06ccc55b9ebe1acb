import { formatMoney } from '@agora/core';
import type { InvoiceData } from './invoice-service';
import { rateText } from './order-pricing';

// The standard PDF fonts speak WinAnsi: the typographic minus and narrow spaces some locales print are mapped.
const plain = (s: string) => s.replace(/\u2212/g, '-').replace(/[\u202f\u2009]/g, ' ');

/** The invoice or credit note as a PDF, drawn on the server from the data kept at issue (A4, standard fonts). */
export async function invoicePdf(data: InvoiceData): Promise<Buffer> {
  // pdfkit and its fonts (over 10 MB resident) are loaded on the first PDF, not when the store starts.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `${data.kind === 'invoice' ? 'Invoice' : 'Credit note'} ${data.number}`, Author: data.seller.name } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (n: number) => plain(formatMoney(n, data.currency));
  const title = data.kind === 'invoice' ? 'Invoice' : 'Credit note';

  doc.font('Helvetica-Bold').fontSize(20).text(`${title} ${data.number}`);
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
  doc.text(`Issued ${data.issuedAt.slice(0, 10)} · Order ${data.orderNumber} of ${data.orderDate.slice(0, 10)}`);
  if (data.correcting) doc.text(`Corrects invoice ${data.correcting}${data.reason ? `: ${data.reason}` : ''}`);
  doc.moveDown();

  const top = doc.y;
  doc.font('Helvetica-Bold').text('Seller', 50, top);
  doc.font('Helvetica').text(plain(data.seller.name), 50);
  if (data.seller.address) doc.text(plain(data.seller.address), 50, undefined, { width: 230 });
  if (data.seller.vatNumber) doc.text(`VAT number: ${data.seller.vatNumber}`, 50);
  const left = doc.y;
  doc.font('Helvetica-Bold').text('Billed to', 320, top);
  doc.font('Helvetica').text(plain(data.buyer.name), 320);
  for (const line of data.buyer.address) doc.text(plain(line), 320, undefined, { width: 225 });
  doc.text(data.buyer.email, 320);
  doc.y = Math.max(left, doc.y) + 20;

  const cols = [50, 290, 340, 410, 480];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    cells.forEach((c, i) => doc.text(c, cols[i], y, { width: i === 0 ? 235 : 65, align: i === 0 ? 'left' : 'right' }));
    doc.moveDown(0.3);
  };
  row(['Item', 'Qty', 'Unit price', 'VAT', 'Amount'], true);
  for (const l of data.lines) row([plain(l.title), String(l.quantity), money(l.unitPrice), l.rate ? rateText(l.rate) : '-', money(l.amount)]);
  doc.moveDown();

  const total = (label: string, value: string, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').text(label, 290, y, { width: 180 }).text(value, 480, y, { width: 65, align: 'right' });
    doc.moveDown(0.2);
  };
  total('Subtotal', money(data.subtotal));
  if (data.discount) total(`Discount${data.couponCodes.length ? ` (${data.couponCodes.join(', ')})` : ''}`, `-${money(data.discount)}`);
  if (data.kind === 'invoice') total(`Delivery (${plain(data.shippingMethod)})`, money(data.shipping));
  for (const t of data.taxLines) total(`${t.label} ${rateText(t.rate)} on ${money(t.base)}${data.pricesIncludeTax ? ' (included)' : ''}`, money(t.tax));
  total(data.kind === 'invoice' ? 'Total' : 'Total refunded', money(data.total), true);
  doc.end();
  return done;
}

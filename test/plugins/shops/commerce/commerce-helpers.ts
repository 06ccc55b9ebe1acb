import zlib from 'node:zlib';
import type { TestApp } from '../../../helpers/app';
import type { Shop } from '../../../../plugins/shops/models/shop';
import { shopModels } from '../shop-models';

let seq = 0;

/** A pending order of `shop` paid by the manual method, written directly (the payment is what a test races). */
export async function pendingManualOrder(_t: TestApp, shop: Shop, amount = 1200, buyerId: number | null = null) {
  const { CheckoutGroup, Order, OrderItem } = shopModels();
  seq++;
  const reference = `AG-TEST-${Date.now().toString(36).toUpperCase()}${seq}`;
  const group = await CheckoutGroup.create({ reference, buyer_id: buyerId, email: `buyer${seq}@example.test`, currency: shop.currency, total: amount, gateway: 'manual', status: 'pending', cart_claim: null });
  const order = await Order.create({
    number: `${reference}-1`,
    group_id: group.id,
    shop_id: shop.id,
    buyer_id: buyerId,
    status: 'pending',
    currency: shop.currency,
    subtotal: amount,
    shipping_total: 0,
    total: amount,
    platform_fee: 0,
    shipping_method: 'Delivery arranged by the seller',
    email: `buyer${seq}@example.test`,
    ship_name: `Buyer ${seq}`,
    ship_line1: '1 Rue de Rivoli',
    ship_city: 'Paris',
    ship_postcode: '75001',
    ship_country: 'FR',
    tax_total: Math.round((amount * 2000) / 12000),
  });
  await OrderItem.create({ order_id: order.id, product_id: null, title: 'Hand-thrown bowl', unit_price: amount, quantity: 1, line_total: amount, tax_rate: 2000, tax_amount: Math.round((amount * 2000) / 12000) });
  return order;
}

/**
 * The text drawn in a PDF made with the standard fonts: each content stream inflated, and the strings of its
 * text operators (hex `<..>` or literal `(..)`) decoded as WinAnsi and joined. Enough to check what a page says.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    const bytes = pdf.subarray(start, end);
    let content: string;
    try {
      content = zlib.inflateSync(bytes).toString('latin1');
    } catch {
      content = bytes.toString('latin1');
    }
    for (const block of content.match(/\[(.*?)\]\s*TJ|<[0-9a-fA-F]+>\s*Tj|\((?:\\.|[^\\)])*\)\s*Tj/g) ?? []) {
      const parts = block.match(/<[0-9a-fA-F]+>|\((?:\\.|[^\\)])*\)/g) ?? [];
      out.push(
        parts
          .map((p) => (p.startsWith('<') ? Buffer.from(p.slice(1, -1), 'hex').toString('latin1') : p.slice(1, -1).replace(/\\(.)/g, '$1')))
          .join(''),
      );
    }
    re.lastIndex = end;
  }
  return out.join('\n');
}

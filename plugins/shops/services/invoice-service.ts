import type { Transaction } from 'sequelize';
import { Invoice, type InvoiceKind } from '../models/invoice';
import { InvoiceCounter } from '../models/invoice-counter';
import { Order } from '../models/order';
import { OrderItem } from '../models/order-item';
import { Refund } from '../models/refund';
import { Shop } from '../models/shop';
import { countryName } from './countries';
import { allocate, taxOf, type TaxLine } from './order-pricing';

/** The document as issued, kept as JSON on the invoice row and rendered as HTML and PDF from it alone. */
export interface InvoiceData {
  kind: InvoiceKind;
  number: string;
  issuedAt: string;
  orderNumber: string;
  orderDate: string;
  currency: string;
  seller: { name: string; address: string; vatNumber: string };
  buyer: { name: string; address: string[]; email: string };
  lines: Array<{ title: string; quantity: number; unitPrice: number; amount: number; discount: number; rate: number; tax: number }>;
  shippingMethod: string;
  subtotal: number;
  discount: number;
  shipping: number;
  taxTotal: number;
  taxLines: TaxLine[];
  total: number;
  pricesIncludeTax: boolean;
  couponCodes: string[];
  /** Credit notes: the invoice they correct and why. */
  correcting?: string;
  reason?: string;
}

export const NUMBER_PREFIX: Readonly<Record<InvoiceKind, string>> = { invoice: 'INV', credit_note: 'CN' };

export function invoiceNumber(kind: InvoiceKind, sequence: number): string {
  return `${NUMBER_PREFIX[kind]}-${String(sequence).padStart(6, '0')}`;
}

/**
 * Claims the next number of a shop's sequence of `kind` inside `transaction`: the counter row is created
 * once, then moved from the value read to the next by a conditional update. A concurrent payment that moved
 * it first makes this update match nothing, and the value is read again; a rolled back payment rolls its
 * number back with it, so the numbers have no gap and no duplicate.
 */
export async function claimNumber(shopId: number, kind: InvoiceKind, transaction: Transaction): Promise<number> {
  const sequelize = InvoiceCounter.sequelize!;
  await sequelize.query('INSERT INTO invoice_counters (shop_id, kind, next) VALUES (:shopId, :kind, 1) ON CONFLICT DO NOTHING', { replacements: { shopId, kind }, transaction });
  for (let attempt = 0; attempt < 1000; attempt++) {
    const counter = await InvoiceCounter.findOne({ where: { shop_id: shopId, kind }, transaction });
    const next = counter!.next;
    const [n] = await InvoiceCounter.update({ next: next + 1 }, { where: { shop_id: shopId, kind, next }, transaction });
    if (n === 1) return next;
  }
  throw new Error(`Could not claim an invoice number for shop ${shopId}`);
}

function sellerOf(shop: Shop | null): InvoiceData['seller'] {
  return { name: shop?.legal_name || shop?.name || '', address: shop?.legal_address ?? '', vatNumber: shop?.vat_number ?? '' };
}

function buyerOf(order: Order): InvoiceData['buyer'] {
  const address = [order.ship_line1, order.ship_line2, `${order.ship_postcode} ${order.ship_city}`.trim(), countryName(order.ship_country)].filter((l) => l && l.trim());
  return { name: order.ship_name, address, email: order.email };
}

/** The order's tax lines, from its lines and shipping as priced at checkout. */
export function taxLinesOf(order: Order, items: OrderItem[]): TaxLine[] {
  const lines = new Map<number, TaxLine>();
  const add = (rate: number, gross: number, tax: number) => {
    if (rate <= 0) return;
    const line = lines.get(rate) ?? { label: 'VAT', rate, base: 0, tax: 0 };
    line.base += order.prices_include_tax ? gross - tax : gross;
    line.tax += tax;
    lines.set(rate, line);
  };
  for (const i of items) add(i.tax_rate, i.line_total - i.discount, i.tax_amount);
  add(order.shipping_tax_rate, order.shipping_total, order.shipping_tax);
  return [...lines.values()].sort((a, b) => b.rate - a.rate);
}

async function issue(kind: InvoiceKind, order: Order, refund: Refund | null, build: (number: string) => Promise<InvoiceData>, transaction: Transaction): Promise<Invoice> {
  const sequence = await claimNumber(order.shop_id, kind, transaction);
  const number = invoiceNumber(kind, sequence);
  const data = await build(number);
  return Invoice.create(
    { shop_id: order.shop_id, order_id: order.id, refund_id: refund?.id ?? null, kind, sequence, number, buyer_id: order.buyer_id, currency: order.currency, total: data.total, data: JSON.stringify(data), issued_at: new Date(data.issuedAt) },
    { transaction },
  );
}

/** What an invoice and a credit note both begin with: the document, the order it is about and the seller. */
function documentHeader(kind: 'invoice' | 'credit_note', number: string, order: Order, shop: Shop | null) {
  return {
    kind,
    number,
    issuedAt: new Date().toISOString(),
    orderNumber: order.number,
    orderDate: order.created_at.toISOString(),
    currency: order.currency,
    seller: sellerOf(shop),
  } as const;
}

/** The invoice of an order just paid, in the payment's transaction; an order that has one keeps it. */
export async function issueInvoice(orderId: number, transaction: Transaction): Promise<Invoice | null> {
  if (await Invoice.findOne({ where: { order_id: orderId, kind: 'invoice' }, attributes: ['id'], transaction })) return null;
  const order = await Order.findByPk(orderId, { transaction });
  if (!order) return null;
  const [items, shop] = await Promise.all([OrderItem.findAll({ where: { order_id: order.id }, order: [['id', 'ASC']], transaction }), Shop.findByPk(order.shop_id, { transaction })]);
  return issue(
    'invoice',
    order,
    null,
    async (number) => ({
      ...documentHeader('invoice', number, order, shop),
      buyer: buyerOf(order),
      lines: items.map((i) => ({ title: i.title, quantity: i.quantity, unitPrice: i.unit_price, amount: i.line_total, discount: i.discount, rate: i.tax_rate, tax: i.tax_amount })),
      shippingMethod: order.shipping_method,
      subtotal: order.subtotal,
      discount: order.discount_total + order.platform_discount,
      shipping: order.shipping_total,
      taxTotal: order.tax_total,
      taxLines: taxLinesOf(order, items),
      total: order.total,
      pricesIncludeTax: order.prices_include_tax,
      couponCodes: order.coupon_codes ? order.coupon_codes.split(',') : [],
    }),
    transaction,
  );
}

/**
 * The credit note of a refund that succeeded, in the settlement's transaction. The refunded amount (tax
 * included) is spread over the invoice's tax rates in proportion to what was paid at each, and the tax in
 * each part is taken by the same rounding rule as the invoice.
 */
export async function issueCreditNote(refundId: number, transaction: Transaction): Promise<Invoice | null> {
  if (await Invoice.findOne({ where: { refund_id: refundId }, attributes: ['id'], transaction })) return null;
  const refund = await Refund.findByPk(refundId, { transaction });
  const order = refund ? await Order.findByPk(refund.order_id, { transaction }) : null;
  if (!refund || !order) return null;
  const invoice = await Invoice.findOne({ where: { order_id: order.id, kind: 'invoice' }, transaction });
  const [items, shop] = await Promise.all([OrderItem.findAll({ where: { order_id: order.id }, order: [['id', 'ASC']], transaction }), Shop.findByPk(order.shop_id, { transaction })]);
  const paidAt = taxLinesOf(order, items);
  const untaxed = order.total - paidAt.reduce((s, l) => s + l.base + l.tax, 0);
  const weights = [...paidAt.map((l) => l.base + l.tax), Math.max(0, untaxed)];
  const parts = allocate(refund.amount, weights);
  const taxLines: TaxLine[] = paidAt.map((l, i) => {
    const tax = taxOf(parts[i], l.rate, true);
    return { label: l.label, rate: l.rate, base: parts[i] - tax, tax };
  });
  const taxTotal = taxLines.reduce((s, l) => s + l.tax, 0);
  // The buyer's details as the invoice had them: a credit note corrects that document.
  const issued = invoice ? (JSON.parse(invoice.data) as InvoiceData) : null;
  return issue(
    'credit_note',
    order,
    refund,
    async (number) => ({
      ...documentHeader('credit_note', number, order, shop),
      buyer: issued?.buyer ?? buyerOf(order),
      lines: [{ title: `Refund on order ${order.number}`, quantity: 1, unitPrice: refund.amount, amount: refund.amount, discount: 0, rate: 0, tax: taxTotal }],
      shippingMethod: order.shipping_method,
      subtotal: refund.amount,
      discount: 0,
      shipping: 0,
      taxTotal,
      taxLines,
      total: refund.amount,
      pricesIncludeTax: true,
      couponCodes: [],
      correcting: invoice?.number,
      reason: refund.reason,
    }),
    transaction,
  );
}

export function invoiceData(invoice: Invoice): InvoiceData {
  return JSON.parse(invoice.data) as InvoiceData;
}

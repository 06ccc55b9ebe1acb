import { Op, fn, col, where as sqlWhere, type WhereOptions } from 'sequelize';
import type { Response } from 'express';
import { csvRow, pageFrom, pager } from '@agora/core';
import { ORDER_STATUSES, Order, type OrderStatus } from '../models/order';
import { Shop } from '../models/shop';
import { dayStart, orderSearchQuery, type OrderSearchQuery } from '../forms/order-search-form';
import { STATUS_LABELS } from './order-state';

const DAY_MS = 24 * 3600_000;

export interface OrderFilters {
  /** An order number (or its start), or part of the buyer's name. */
  q: string;
  status?: OrderStatus;
  from?: Date;
  /** The last day included (its UTC midnight). */
  to?: Date;
  /** Only these shops; undefined is every shop (the admin). */
  shopIds?: number[];
}

/** The filters a query string asks for, and a message per field that made no sense (that filter is left out). */
export function filtersFrom(query: OrderSearchQuery, shopIds: number[] | undefined): { filters: OrderFilters; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const from = query.from ? dayStart(query.from) : undefined;
  let to = query.to ? dayStart(query.to) : undefined;
  if (query.from && !from) errors.from = 'Enter a day as YYYY-MM-DD.';
  if (query.to && !to) errors.to = 'Enter a day as YYYY-MM-DD.';
  if (from && to && to < from) {
    errors.to = 'The end is before the start; showing from the start on.';
    to = undefined;
  }
  return { filters: { q: query.q, status: query.status, from, to, shopIds }, errors };
}

/** The where clause of a search: indexes on (shop_id, created_at), (shop_id, status, created_at) and the unique number do the work. */
export function orderWhere(filters: OrderFilters): WhereOptions<Order> {
  const and: WhereOptions<Order>[] = [];
  if (filters.shopIds) and.push({ shop_id: { [Op.in]: filters.shopIds } });
  if (filters.status) and.push({ status: filters.status });
  if (filters.from) and.push({ created_at: { [Op.gte]: filters.from } });
  if (filters.to) and.push({ created_at: { [Op.lt]: new Date(filters.to.getTime() + DAY_MS) } });
  const q = filters.q.trim();
  if (q) {
    // Wildcards typed are taken as text (dropped): LIKE's escape differs between SQLite and PostgreSQL.
    const like = `%${q.toLowerCase().replace(/[\\%_]/g, '')}%`;
    // lower() on both sides: case-insensitive on both databases (PostgreSQL's LIKE is not).
    and.push({
      [Op.or]: [{ number: q.toUpperCase() }, sqlWhere(fn('lower', col('number')), { [Op.like]: like }), sqlWhere(fn('lower', col('ship_name')), { [Op.like]: like })],
    } as WhereOptions<Order>);
  }
  return { [Op.and]: and } as WhereOptions<Order>;
}

export const ORDER_CSV_COLUMNS = [
  'number', 'created_at', 'shop', 'status', 'buyer_name', 'email', 'phone', 'ship_line1', 'ship_line2', 'ship_city', 'ship_postcode', 'ship_country',
  'shipping_method', 'currency', 'subtotal', 'discount', 'shipping', 'tax', 'total', 'refunded', 'paid_at', 'shipped_at', 'tracking_number',
] as const;

const major = (minor: number | null | undefined) => ((minor ?? 0) / 100).toFixed(2);

/**
 * The filtered orders as CSV (core's formula-safe cells), read in pages of 500 so a large export never
 * holds every order at once; amounts in major units with the currency beside them.
 */
export async function* ordersCsv(filters: OrderFilters): AsyncGenerator<string> {
  yield csvRow(ORDER_CSV_COLUMNS);
  const where = orderWhere(filters);
  const shopNames = new Map<number, string>();
  for (let offset = 0; ; offset += 500) {
    const rows = await Order.findAll({ where, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: 500, offset });
    const missing = [...new Set(rows.map((o) => o.shop_id))].filter((id) => !shopNames.has(id));
    if (missing.length) for (const s of await Shop.findAll({ where: { id: missing }, attributes: ['id', 'name'] })) shopNames.set(s.id, s.name);
    for (const o of rows) {
      yield csvRow([
        o.number, o.created_at, shopNames.get(o.shop_id) ?? '', STATUS_LABELS[o.status], o.ship_name, o.email, o.phone, o.ship_line1, o.ship_line2, o.ship_city, o.ship_postcode, o.ship_country,
        o.shipping_method, o.currency, major(o.subtotal), major(o.discount_total), major(o.shipping_total), major(o.tax_total), major(o.total), major(o.refunded_total),
        o.paid_at ?? '', o.shipped_at ?? '', o.tracking_number ?? '',
      ]);
    }
    if (rows.length < 500) return;
  }
}

/** One page of a search, with what the page's form and pager need. */
export async function searchOrders(query: Record<string, unknown>, shopIds: number[] | undefined, perPage: number, basePath = '/seller/orders') {
  const parsed = orderSearchQuery.parse(query);
  const { filters, errors } = filtersFrom(parsed, shopIds);
  const page = pageFrom(query, perPage);
  const { rows, count } = await Order.findAndCountAll({ where: orderWhere(filters), order: [['created_at', 'DESC'], ['id', 'DESC']], limit: page.perPage, offset: page.offset });
  const shops = await Shop.findAll({ where: { id: [...new Set(rows.map((o) => o.shop_id))] }, attributes: ['id', 'name', 'slug'] });
  // The pager and the export carry only the filters that applied (a bad date is dropped, as on the page).
  const applied = { q: parsed.q, status: parsed.status ?? '', from: filters.from ? parsed.from : '', to: filters.to ? parsed.to : '' };
  return {
    orders: rows.map((order) => ({ order, shop: shops.find((s) => s.id === order.shop_id) })),
    values: { q: parsed.q, status: parsed.status ?? '', from: parsed.from, to: parsed.to },
    applied,
    errors,
    statuses: ORDER_STATUSES,
    statusLabels: STATUS_LABELS,
    pager: pager(basePath, applied, { page: page.page, perPage, total: count, noun: 'orders' }),
  };
}

/** A link with the applied filters (empty ones left out). */
export function csvLink(path: string, applied: Record<string, string>): string {
  const params = new URLSearchParams(Object.entries(applied).filter(([, v]) => v !== ''));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Streams CSV lines as a download; a UTF-8 BOM so spreadsheets read accents right. */
export async function sendCsv(res: Response, filename: string, lines: AsyncIterable<string>): Promise<void> {
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.write('\uFEFF');
  for await (const line of lines) res.write(line);
  res.end();
}

// The products CSV lives beside the import that reads it back (services/product-import-csv.ts).
export { PRODUCT_CSV_COLUMNS, productsCsv } from './product-import-csv';

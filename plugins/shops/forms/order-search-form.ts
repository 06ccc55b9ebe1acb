import { z } from 'zod';
import { ORDER_STATUSES } from '../models/order';

const day = z.string().trim().max(10).catch('');

/** The order search's query string; every field may be empty. A date that is not a day is reported beside its field and left out. */
export const orderSearchQuery = z.object({
  q: z.string().trim().max(100).catch(''),
  status: z.enum(ORDER_STATUSES).optional().catch(undefined),
  from: day,
  to: day,
  shop: z.string().trim().max(100).catch(''),
});

export type OrderSearchQuery = z.infer<typeof orderSearchQuery>;

/** A `YYYY-MM-DD` day as its UTC midnight, or undefined when it is not a real day. */
export function dayStart(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? undefined : date;
}

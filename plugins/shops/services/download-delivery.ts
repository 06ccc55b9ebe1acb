import type { Product } from '../models/product';
import type { ShippingOption } from './cart-service';

/** What a shop's part of a cart holding only downloads is "delivered" by: a link, no charge, any country. */
export const DOWNLOAD_DELIVERY = 'Download after payment';

export const DOWNLOAD_OPTION: ShippingOption = { id: null, name: DOWNLOAD_DELIVERY, price: 0, cost: 0, freeOver: null, countries: [], download: true };

/**
 * A line delivered as files instead of a parcel. A variant's line is always a parcel: variants stay physical
 * (docs/shops-digital.md), and the downloads page refuses to make a product with variants digital.
 */
export function isDownloadLine(line: { product: Pick<Product, 'is_digital'>; variant?: unknown }): boolean {
  return line.product.is_digital === true && !line.variant;
}

/** Whether a shop's lines (the ones that can be bought) need a delivery method: some of them are parcels. */
export function shipsParcels(lines: ReadonlyArray<{ product: Pick<Product, 'is_digital'>; variant?: unknown; unavailable?: boolean }>): boolean {
  return lines.some((l) => !l.unavailable && !isDownloadLine(l));
}

/** The subtotal delivery is charged on (and a "free over" threshold judged by): the parcels only. */
export function parcelSubtotal(lines: ReadonlyArray<{ product: Pick<Product, 'is_digital'>; variant?: unknown; unavailable?: boolean; lineTotal: number }>): number {
  return lines.reduce((sum, l) => sum + (!l.unavailable && !isDownloadLine(l) ? l.lineTotal : 0), 0);
}

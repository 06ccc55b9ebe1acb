import { z } from 'zod';
import { checkbox, wholeNumberOrBlank } from './fields';

/** The most files one product may deliver. */
export const MAX_PRODUCT_DOWNLOADS = 10;

/** The seller's downloads page of a product: whether it is a download, and its own terms (blank: the store's). */
export const downloadSettingsSchema = z.object({
  is_digital: checkbox,
  download_limit: wholeNumberOrBlank(1000),
  download_days: wholeNumberOrBlank(3650),
});
export type DownloadSettingsForm = z.infer<typeof downloadSettingsSchema>;

/** The fields the page sends besides the files (`files`) and the CSRF token core checked. */
export const DOWNLOAD_SETTINGS_FIELDS = new Set(['is_digital', 'download_limit', 'download_days', '_csrf']);

/** What the form shows for a product: its values as typed. */
export function downloadFormValues(product: { is_digital: boolean; download_limit: number | null; download_days: number | null }): Record<string, unknown> {
  return {
    is_digital: product.is_digital,
    download_limit: product.download_limit === null ? '' : String(product.download_limit),
    download_days: product.download_days === null ? '' : String(product.download_days),
  };
}

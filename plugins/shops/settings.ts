import { z } from 'zod';
import { electronicFormatIBAN, friendlyFormatIBAN, isValidIBAN } from 'ibantools';
import type { PluginContext } from '@agora/core';
import { COUNTRY_CHOICES, COUNTRY_CODES } from './services/countries';
import { TAX_CLASSES, TAX_CLASS_LABELS } from './models/tax-rate';

/** The IANA time zones this runtime knows, UTC first. */
const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];

export const shopsSettingsSchema = z.object({
  feePercent: z.number({ message: 'Enter a number' }).min(0, 'Cannot be negative').max(50, 'At most 50%').default(5),
  /** Minor units, typed in the currency by the admin (a money field): "0.30" is stored as 30. */
  feeFixed: z.number({ message: 'Enter an amount, such as 0.30' }).int('Enter an amount, such as 0.30').min(0, 'Cannot be negative').max(100_000, 'At most 1000.00').default(0),
  taxRetentionYears: z.number({ message: 'Enter a whole number of years' }).int().min(0).max(30).default(6),
  manualGatewayEnabled: z.boolean().default(true),
  manualGatewayInstructions: z.string().max(2000).default('Pay on delivery, or by bank transfer to the account shown on your invoice.'),
  /** The account buyers transfer to, shown with the order's reference on the confirmation and in its email. */
  manualBankName: z.string().trim().max(100, 'At most 100 characters').default(''),
  manualIban: z
    .string()
    .transform((v) => electronicFormatIBAN(v.trim()) ?? '')
    .refine((v) => v === '' || isValidIBAN(v), 'Enter a valid IBAN, such as FR76 3000 6000 0112 3456 7890 189, or leave it empty')
    .transform((v) => (v ? (friendlyFormatIBAN(v) ?? v) : ''))
    .default(''),
  guestCheckout: z.boolean().default(true),
  pendingOrderHours: z.number({ message: 'Enter a whole number of hours' }).int().min(1).max(24 * 30).default(72),
  maxQuantityPerItem: z.number({ message: 'Enter a whole number' }).int().min(1).max(10_000).default(99),
  /** How long pictures kept for a refused product form wait for the next try before the sweep deletes them. */
  keptUploadHours: z.number({ message: 'Enter a whole number of hours' }).int('Enter a whole number of hours').min(1, 'At least 1 hour').max(24 * 30, 'At most 720 hours').default(24),
  /** Where the store is: the country a checkout starts with until the buyer has a saved address. */
  baseCountry: z
    .string()
    .transform((v) => v.trim().toUpperCase())
    .refine((v) => COUNTRY_CODES.has(v), 'Choose a country (ISO 3166-1)')
    .default('FR'),
  /** Whether the prices sellers enter include tax (docs/shops-tax.md); the cart estimates tax at `baseCountry`. */
  pricesIncludeTax: z.boolean().default(true),
  /** The tax class shipping is charged in. */
  shippingTaxClass: z.enum(TAX_CLASSES, { message: 'Choose a tax class' }).default('standard'),
  /** Digital goods (docs/shops-digital.md): what a product's download link allows unless its seller says otherwise. */
  downloadLimit: z.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(0, 'Cannot be negative').max(1000, 'At most 1000').default(5),
  downloadDays: z.number({ message: 'Enter a whole number of days' }).int('Enter a whole number of days').min(0, 'Cannot be negative').max(3650, 'At most 3650 days').default(30),
  downloadMaxMegabytes: z.number({ message: 'Enter a whole number of megabytes' }).int('Enter a whole number of megabytes').min(1, 'At least 1 MB').max(500, 'At most 500 MB').default(50),
  /** A seller's CSV product import (docs/shops-bulk.md): the largest file and the most rows one may have. */
  importMaxMegabytes: z.number({ message: 'Enter a whole number of megabytes' }).int('Enter a whole number of megabytes').min(1, 'At least 1 MB').max(100, 'At most 100 MB').default(5),
  importMaxRows: z.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(1, 'At least 1').max(100_000, 'At most 100,000').default(10_000),
  /** Where the store's months begin and end: the sales report's months are this zone's (docs/shops-reports.md). */
  timeZone: z.string().trim().refine((v) => TIME_ZONES.includes(v), 'Choose a time zone from the list').default('UTC'),
});

export type ShopsSettings = z.infer<typeof shopsSettingsSchema>;

export function defineShopsSettings(ctx: PluginContext): void {
  ctx.settings.define({
    title: 'Marketplace',
    schema: shopsSettingsSchema,
    fields: [
      { key: 'feePercent', label: 'Platform fee (percent of each order subtotal)', type: 'number' },
      { key: 'feeFixed', label: 'Fixed platform fee per order', type: 'money', currency: 'EUR', help: 'For example 0.30, added to the percentage on every order, in the order’s currency (every shop currency has cents).' },
      { key: 'taxRetentionYears', label: 'Years to keep paid orders for tax', type: 'number', help: 'Paid orders are kept this long after erasure requests, with the buyer reduced to what an invoice needs.' },
      { key: 'manualGatewayEnabled', label: 'Offer "Pay on delivery / bank transfer"', type: 'checkbox' },
      { key: 'manualGatewayInstructions', label: 'Payment instructions for the manual method', type: 'textarea' },
      { key: 'manualBankName', label: 'Bank (for transfers)', type: 'text', help: 'Shown with the IBAN and the order reference on the confirmation page and in the email.' },
      { key: 'manualIban', label: 'IBAN (for transfers)', type: 'text' },
      { key: 'guestCheckout', label: 'Allow checkout without an account', type: 'checkbox' },
      { key: 'pendingOrderHours', label: 'Hours before an unpaid order expires', type: 'number' },
      { key: 'maxQuantityPerItem', label: 'Largest quantity of one product per order', type: 'number' },
      { key: 'keptUploadHours', label: 'Hours to keep pictures of a product form that was refused', type: 'number', help: 'The seller finds them in the form on the next try; after this they are deleted.' },
      { key: 'baseCountry', label: 'Store country', type: 'select', choices: [...COUNTRY_CHOICES], help: 'Checkout starts with this country until the buyer has a saved address; the cart estimates tax at its rates.' },
      { key: 'pricesIncludeTax', label: 'Prices are entered including tax', type: 'checkbox', help: 'Checked: the tax is inside the prices shown. Unchecked: tax is added at checkout at the delivery country’s rate. Rates are at Tax rates (/admin/tax).' },
      { key: 'shippingTaxClass', label: 'Tax class of shipping', type: 'select', choices: TAX_CLASSES.map((c) => ({ value: c, label: TAX_CLASS_LABELS[c] })) },
      { key: 'downloadLimit', label: 'Downloads per purchased file', type: 'number', help: 'How many times a buyer may download each file they paid for, unless the seller sets it for the product. 0: no limit.' },
      { key: 'downloadDays', label: 'Days a download link works', type: 'number', help: 'Counted from the payment, unless the seller sets it for the product. 0: the link does not expire.' },
      { key: 'downloadMaxMegabytes', label: 'Largest file a seller may sell as a download (MB)', type: 'number' },
      { key: 'importMaxMegabytes', label: 'Largest CSV file a seller may import (MB)', type: 'number' },
      { key: 'importMaxRows', label: 'Most products in one CSV import', type: 'number', help: 'A larger file is refused with this number; the seller splits it.' },
      { key: 'timeZone', label: 'Store time zone', type: 'select', choices: TIME_ZONES.map((z) => ({ value: z, label: z.replace(/_/g, ' ') })), help: 'The sales report counts months from midnight on the 1st in this zone.' },
    ],
  });
}

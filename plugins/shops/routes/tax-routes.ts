import type { Response } from 'express';
import { z } from 'zod';
import { type PluginContext, requireCapability, notFound, parseForm, type FieldErrors } from '@agora/core';
import { unknownFields } from '../forms/cart-form';
import { text } from '../forms/fields';
import { TAX_CLASSES, TAX_CLASS_LABELS, TaxRate } from '../models/tax-rate';
import { COUNTRY_CHOICES, COUNTRY_CODES, countryName } from '../services/countries';
import { rateText } from '../services/order-pricing';
import { idParam } from './upload-helpers';

const TAX_FIELDS = new Set(['country', 'tax_class', 'rate', 'label']);

const taxRateSchema = z.object({
  country: text(2).transform((v) => v.toUpperCase()).refine((v) => COUNTRY_CODES.has(v), 'Choose a country'),
  tax_class: z.enum(TAX_CLASSES, { message: 'Choose a tax class' }),
  // Percent with up to two decimals, kept as percent × 100.
  rate: text(6)
    .refine((v) => /^\d{1,2}(\.\d{1,2})?$/.test(v) && Number(v) <= 50, 'Enter a percent between 0 and 50, like 20 or 5.5')
    .transform((v) => Math.round(Number(v) * 100)),
  label: text(40).transform((v) => v || 'VAT'),
});

/**
 * The admin's tax table (/admin/tax): a rate per country and tax class. Saving a country and class that
 * exist changes their rate; orders keep the rate they were placed with.
 */
export function taxRoutes(ctx: PluginContext): void {
  const { router } = ctx;
  const CAP = 'shops.tax.manage';
  ctx.capabilities.register(CAP, 'Edit the tax rates of the marketplace', ['admin']);
  ctx.admin.menu({ id: 'shops-tax', label: 'Tax rates', href: '/admin/tax', capability: CAP, order: 42 });
  const guard = [requireCapability(ctx.capabilities, CAP)];

  const page = async (res: Response, values: Record<string, unknown> = {}, errors: FieldErrors = {}, status = 200) => {
    const rates = await TaxRate.findAll({ order: [['country', 'ASC'], ['rate', 'DESC'], ['tax_class', 'ASC']] });
    await res.renderPage(
      'shops/admin/tax',
      { title: 'Tax rates', rates, values, errors, countries: COUNTRY_CHOICES, classes: TAX_CLASSES.map((c) => ({ value: c, label: TAX_CLASS_LABELS[c] })), classLabels: TAX_CLASS_LABELS, countryName, rateText },
      status,
    );
  };

  router.get('/admin/tax', ...guard, async (_req, res) => page(res, { tax_class: 'standard', label: 'VAT' }));

  router.post('/admin/tax', ...guard, async (req, res) => {
    const values = (req.body ?? {}) as Record<string, unknown>;
    const tampered = unknownFields(req.body, (k) => TAX_FIELDS.has(k));
    if (tampered) return page(res, values, tampered, 422);
    const parsed = parseForm(taxRateSchema, req.body);
    if (!parsed.ok) return page(res, values, parsed.errors, 422);
    const { country, tax_class, rate, label } = parsed.data;
    const existing = await TaxRate.findOne({ where: { country, tax_class } });
    if (existing) await existing.update({ rate, label });
    else await TaxRate.create({ country, tax_class, rate, label });
    res.flash('success', `${countryName(country)}, ${TAX_CLASS_LABELS[tax_class].toLowerCase()} rate: ${rateText(rate)}.`);
    res.redirect(303, '/admin/tax');
  });

  router.post('/admin/tax/:id/delete', ...guard, async (req, res) => {
    const id = idParam(req.params.id);
    const removed = id === undefined ? 0 : await TaxRate.destroy({ where: { id } });
    if (!removed) throw notFound('tax rate');
    res.flash('success', 'The rate was removed; that class is untaxed in that country until a rate is added.');
    res.redirect(303, '/admin/tax');
  });
}

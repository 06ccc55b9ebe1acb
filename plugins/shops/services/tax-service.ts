import type { Transaction } from 'sequelize';
import { TaxRate } from '../models/tax-rate';

export interface AppliedRate {
  rate: number;
  label: string;
}

/** The rates of one country by tax class; a class the admin gave no rate there is taxed at 0 (no tax line). */
export async function ratesFor(country: string, transaction?: Transaction): Promise<Map<string, AppliedRate>> {
  const rows = await TaxRate.findAll({ where: { country: country.toUpperCase() }, transaction });
  return new Map(rows.map((r) => [r.tax_class, { rate: r.rate, label: r.label }]));
}

export function rateOf(rates: Map<string, AppliedRate>, taxClass: string): AppliedRate {
  return rates.get(taxClass) ?? { rate: 0, label: 'VAT' };
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Integer minor units and an ISO currency code → "€12.50". */
export function formatMoney(minor: number, currency: string): string {
  let f = formatters.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
    formatters.set(currency, f);
  }
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

/** Minor units per major unit for a currency (100 for EUR, 1 for JPY). */
export function minorPerMajor(currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return 10 ** digits;
}

/** "12.50" → 1250 in the currency's minor units; undefined when it is not a plain amount. */
export function parseMoney(input: string, currency: string): number | undefined {
  const text = input.trim().replace(/,/g, '');
  if (!/^\d{1,9}(\.\d{1,3})?$/.test(text)) return undefined;
  const scale = minorPerMajor(currency);
  const [whole, frac = ''] = text.split('.');
  const digits = Math.log10(scale);
  if (frac.length > digits) return undefined;
  return Number(whole) * scale + Number((frac + '000').slice(0, digits) || 0);
}

/**
 * One CSV cell (RFC 4180 quoting). A cell starting with = + - @ or a tab is prefixed with an apostrophe, so
 * a spreadsheet opening the export never runs it as a formula (CSV injection).
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (cells: unknown[]): string => cells.map(csvCell).join(',') + '\r\n';

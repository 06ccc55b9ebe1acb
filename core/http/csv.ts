/**
 * One CSV cell (RFC 4180 quoting): a Date as ISO-8601 UTC, an object as JSON. A cell starting with
 * = + - @, a tab or a carriage return gets a leading apostrophe, so a spreadsheet opening an export never
 * runs it as a formula (CSV injection); a value of type number (-5, a refund's net) is written as it is.
 */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A number is never a formula: a negative amount stays a number in the spreadsheet.
  if (typeof value !== 'number' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line with its CRLF ending. */
export const csvRow = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** A CSV document with a header row; columns in the order given. */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  return csvRow(columns) + rows.map((row) => csvRow(columns.map((c) => row[c]))).join('');
}

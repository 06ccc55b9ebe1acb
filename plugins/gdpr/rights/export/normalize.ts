/**
 * Makes a value stable for the export: object keys sorted, dates as ISO-8601 UTC strings, Buffers as
 * base64, undefined dropped; so two exports of the same data are byte for byte the same apart from the time.
 */
export function stable(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = stable(v);
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A file name for a group of records: "Emails we sent you" → "emails-we-sent-you". */
export function slugOf(group: string): string {
  return (
    group
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'records'
  );
}

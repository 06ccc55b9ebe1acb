import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** The highest resident memory of the server seen while loading it, in MB. */
  peakRssMb: number;
}

export interface LoadRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Statuses that count as the page working (a POST that redirects answers 303). */
  okStatuses?: number[];
}

/**
 * One autocannon run against a URL on loopback, bounded in time, sampling the server's memory (`rss`)
 * every 200 ms. A response whose status is not in okStatuses (2xx by default) counts as non2xx.
 */
export async function load(request: LoadRequest | string, seconds: number, connections = 10, rss: () => number = () => 0): Promise<LoadResult> {
  const r = typeof request === 'string' ? { url: request } : request;
  let peak = rss();
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 200);
  const result = await autocannon({ url: r.url, method: r.method ?? 'GET', headers: r.headers, body: r.body, connections, duration: seconds, pipelining: 1 });
  clearInterval(sampler);
  peak = Math.max(peak, rss());
  const ok = new Set(r.okStatuses ?? []);
  const statusCounts = result.statusCodeStats as unknown as Record<string, { count: number }> | undefined;
  // autocannon counts every status outside 2xx as non2xx; a POST's 303 is the page working.
  const expectedOther = ok.size && statusCounts ? Object.entries(statusCounts).filter(([code]) => ok.has(Number(code))).reduce((n, [, s]) => n + s.count, 0) : 0;
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx - expectedOther,
    errors: result.errors + result.timeouts,
    peakRssMb: peak,
  };
}

export function printTable(rows: Array<Record<string, string | number>>): void {
  if (!rows.length) return;
  const keys = Object.keys(rows[0]);
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i])).join('  ');
  console.log(line(keys));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(keys.map((k) => String(r[k]))));
}

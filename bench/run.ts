/**
 * `npm run bench`: hook dispatch against EventEmitter, then the catalog (page 1, and a deep page with a
 * category filter), product and shop pages under autocannon, Agora next to the bare Express + EJS
 * baseline (bench/baseline/) on the same store, with requests/second, p50/p99 and the ratio.
 * Generates the 1,000-shop / 100,000-product store first if it is not there (data/bench, or DATABASE_URL).
 */
import { createPlatform, startPlatform, stopPlatform } from '../core/create-platform';
import { benchConfig, BENCH_PRODUCTS, BENCH_SHOPS } from './bench-config';
import { generate } from './generate';
import { formatHookBench, runHookBench } from './hooks';
import { load, printTable } from './load';
import { startServer } from './servers';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

console.log('== Hook dispatch (operations/second)');
console.log(formatHookBench(await runHookBench()));

console.log('\n== Preparing the benchmark store');
const platform = await createPlatform(benchConfig());
await startPlatform(platform, ['shops']);
await generate(platform);
await stopPlatform(platform);

// A deep page halfway through one category (a tenth of the catalog).
const deepPage = Math.max(1, Math.floor(BENCH_PRODUCTS / 10 / 24 / 2));
const pages = [
  { page: 'catalog, page 1', path: '/products' },
  { page: `catalog, category, page ${deepPage}`, path: `/products?category=bench-ceramics&page=${deepPage}` },
  { page: 'product', path: `/products/bench-product-${Math.floor(BENCH_PRODUCTS / 2)}` },
  { page: 'shop', path: `/shops/bench-shop-${Math.floor(BENCH_SHOPS / 2)}` },
];

const agora = await startServer('bench/agora-server.ts');
const baseline = await startServer('bench/baseline/server.ts');
const rows: Array<Record<string, string | number>> = [];
try {
  for (const p of pages) {
    const sizes = [];
    for (const server of [agora, baseline]) {
      const res = await fetch(server.url + p.path);
      if (res.status !== 200) throw new Error(`${server.url}${p.path} answered ${res.status}`);
      sizes.push((await res.text()).length);
      await load(server.url + p.path, 1, CONNECTIONS); // warm-up
    }
    const a = await load(agora.url + p.path, SECONDS, CONNECTIONS);
    const b = await load(baseline.url + p.path, SECONDS, CONNECTIONS);
    if (a.non2xx || b.non2xx || a.errors || b.errors) console.warn(`warning: ${p.page}: non-2xx or errors (agora ${a.non2xx}/${a.errors}, baseline ${b.non2xx}/${b.errors})`);
    rows.push({
      page: p.page,
      'agora req/s': a.requestsPerSecond.toFixed(0),
      'agora p50/p99 ms': `${a.p50}/${a.p99}`,
      'baseline req/s': b.requestsPerSecond.toFixed(0),
      'baseline p50/p99 ms': `${b.p50}/${b.p99}`,
      'agora/baseline': (a.requestsPerSecond / b.requestsPerSecond).toFixed(2),
      'html bytes a/b': `${sizes[0]}/${sizes[1]}`,
    });
  }
} finally {
  agora.stop();
  baseline.stop();
}
console.log(`\n== Pages (${SECONDS} s each, ${CONNECTIONS} connections, ${platform.sequelize.getDialect()})`);
printTable(rows);
process.exit(0);

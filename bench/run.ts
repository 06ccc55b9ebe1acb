/**
 * `npm run bench`: hook dispatch against EventEmitter, then every page a shopper uses most under autocannon
 * — home, catalog (page 1 and a deep page with a category filter), product, shop, the cart, add-to-cart
 * (a POST with its CSRF token) and a logged-in "my orders" — with all bundled plugins active, Agora next
 * to the bare Express + EJS baseline (bench/baseline/) where it has the page, on the same store: requests/s,
 * p50/p99, errors, the ratio, the HTML sizes of both, and the resident memory of each server idle and
 * under load. Writes bench/results/latest.json (BENCH_OUT to write elsewhere).
 *
 * Agora runs compiled, as in production (`node dist/server.js`; built first when dist/ is stale), or
 * from the sources under tsx with BENCH_AGORA=source. SQLite in data/bench unless DATABASE_URL is set;
 * the 1,000-shop / 100,000-product store is generated first when it is not there.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createPlatform, startPlatform, stopPlatform } from '../core/create-platform';
import { rootDir } from '../core/config';
import { build, isFresh } from '../scripts/build.mjs';
import { benchConfig, BENCH_PRODUCTS, BENCH_SHOPS } from './bench-config';
import { generate } from './generate';
import { formatHookBench, runHookBench } from './hooks';
import { load, printTable, type LoadRequest, type LoadResult } from './load';
import { startServer, tsxScript, type RunningServer, type ServerCommand } from './servers';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const AGORA = process.env.BENCH_AGORA === 'source' ? 'source' : 'dist';
const OUT = process.env.BENCH_OUT ?? path.join(rootDir, 'bench', 'results', 'latest.json');
/** The bench seller's login (bench/generate.ts makes bench_seller_0 … with this password). */
const BUYER = { login: 'bench-seller-0@bench.agora.local', password: 'bench-seller-password' };

console.log('== Hook dispatch (operations/second)');
const hookRows = await runHookBench();
console.log(formatHookBench(hookRows));

console.log('\n== Preparing the benchmark store (every bundled plugin active)');
const config = benchConfig();
const platform = await createPlatform(config);
platform.plugins.discover();
const bundled = platform.plugins.list().filter((p) => p.source === 'bundled').map((p) => p.manifest.name);
await startPlatform(platform, bundled);
// A store made before the other plugins existed (or by `bench:generate`, shops alone) gets them now.
for (const name of bundled) if (!platform.plugins.isActive(name)) await platform.plugins.activate(name);
await generate(platform);
const dialect = platform.sequelize.getDialect();
await stopPlatform(platform);

if (AGORA === 'dist' && !isFresh(path.join(rootDir, 'dist'))) {
  console.log('== Compiling dist/ (npm run build)');
  build(path.join(rootDir, 'dist'));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Agora as production runs it: `node dist/server.js`, configured by the environment like any store. */
async function agoraCommand(): Promise<ServerCommand> {
  if (AGORA === 'source') return tsxScript('bench/agora-server.ts');
  const port = await freePort();
  return {
    args: [path.join(rootDir, 'dist', 'server.js')],
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: config.dataDir,
      DATABASE_URL: config.databaseUrl,
      DEMO_SEED: '0',
      ADMIN_EMAIL: config.ADMIN_EMAIL ?? '',
      ADMIN_PASSWORD: config.ADMIN_PASSWORD ?? '',
      // The bench sends thousands of logins' worth of forms from one address; the limits are not what is measured.
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    ready: /Agora is running at http:\/\/[^:/]+:(\d+)/,
  };
}

/** Cookies of a response, as a Cookie header (name=value; …), merged over `previous`. */
function cookiesOf(res: Response, previous = ''): string {
  const jar = new Map(previous.split('; ').filter(Boolean).map((c) => [c.slice(0, c.indexOf('=')), c] as [string, string]));
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(';')[0];
    jar.set(pair.slice(0, pair.indexOf('=')), pair);
  }
  return [...jar.values()].join('; ');
}
const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

const deepPage = Math.max(1, Math.floor(BENCH_PRODUCTS / 10 / 24 / 2));
const productPath = `/products/bench-product-${Math.floor(BENCH_PRODUCTS / 2)}`;

interface Page {
  page: string;
  /** The request each server gets; undefined for a server that has no such page. */
  request(server: RunningServer): Promise<LoadRequest | undefined>;
  /** Pages the baseline renders too. */
  baseline: boolean;
}
const get = (p: string, baseline = true): Page => ({ page: '', baseline, request: async (s) => ({ url: s.url + p }) });
const pages: Page[] = [
  { ...get('/'), page: 'home' },
  { ...get('/products'), page: 'catalog, page 1' },
  { ...get(`/products?category=bench-ceramics&page=${deepPage}`), page: `catalog, category, page ${deepPage}` },
  { ...get(productPath), page: 'product' },
  { ...get(`/shops/bench-shop-${Math.floor(BENCH_SHOPS / 2)}`), page: 'shop' },
  { ...get('/cart'), page: 'cart (guest, empty)' },
  {
    // A new visitor's first add: the product page's form with its CSRF cookie and token, no session yet
    // (the add makes one). The answer is the redirect to the cart (303).
    page: 'add to cart (POST, CSRF)',
    baseline: false,
    request: async (s) => {
      const res = await fetch(s.url + productPath);
      const html = await res.text();
      const token = tokenIn(html);
      const productId = /name="product_id" value="(\d+)"/.exec(html)?.[1];
      if (!token || !productId) throw new Error('the product page has no add-to-cart form');
      return {
        url: `${s.url}/cart/items`,
        method: 'POST',
        headers: { cookie: cookiesOf(res), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token, product_id: productId, quantity: '1' }).toString(),
        okStatuses: [303],
      };
    },
  },
  {
    page: 'my orders (logged in)',
    baseline: false,
    request: async (s) => {
      const form = await fetch(`${s.url}/login`);
      let cookie = cookiesOf(form);
      const token = tokenIn(await form.text());
      const res = await fetch(`${s.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token ?? '', login: BUYER.login, password: BUYER.password }).toString(),
      });
      if (res.status !== 302 && res.status !== 303) throw new Error(`logging in the bench buyer answered ${res.status}`);
      cookie = cookiesOf(res, cookie);
      return { url: `${s.url}/account/orders`, headers: { cookie } };
    },
  },
];

// BENCH_PAGES=product,shop: only the pages whose name contains one of these words.
const only = (process.env.BENCH_PAGES ?? '').split(',').map((w) => w.trim()).filter(Boolean);
const chosen = only.length ? pages.filter((p) => only.some((w) => p.page.includes(w))) : pages;

async function firstAnswer(r: LoadRequest): Promise<{ status: number; bytes: number }> {
  const res = await fetch(r.url, { method: r.method ?? 'GET', headers: r.headers, body: r.body, redirect: 'manual' });
  return { status: res.status, bytes: (await res.text()).length };
}

console.log(`\n== Starting Agora (${AGORA === 'dist' ? 'node dist/server.js' : 'tsx, from the sources'}) and the baseline`);
const agora = await startServer(await agoraCommand());
const baseline = await startServer(tsxScript('bench/baseline/server.ts', { BASE_URL: agora.url }));
// Idle: started, one request served (so lazy start-up work is done), nothing else.
await fetch(`${agora.url}/healthz`);
await fetch(`${baseline.url}/products`);
await new Promise((r) => setTimeout(r, 1000));
const idle = { agora: agora.rssMb(), baseline: baseline.rssMb() };
const loadAverage = os.loadavg().map((x) => x.toFixed(2)).join(' ');

interface Row {
  page: string;
  agora: LoadResult & { bytes: number };
  baseline?: LoadResult & { bytes: number };
  ratio?: number;
  sizeDiffPercent?: number;
}
const results: Row[] = [];
try {
  for (const p of chosen) {
    const measured: Partial<Record<'agora' | 'baseline', LoadResult & { bytes: number }>> = {};
    for (const [name, server] of [['agora', agora], ['baseline', baseline]] as const) {
      if (name === 'baseline' && !p.baseline) continue;
      const request = await p.request(server);
      if (!request) continue;
      const first = await firstAnswer(request);
      const expected = request.okStatuses ?? [200];
      if (!expected.includes(first.status)) throw new Error(`${name} ${p.page}: ${request.url} answered ${first.status}`);
      await load(request, 1, CONNECTIONS); // warm-up
      measured[name] = { ...(await load(request, SECONDS, CONNECTIONS, () => server.rssMb())), bytes: first.bytes };
    }
    const a = measured.agora!;
    const b = measured.baseline;
    if (a.non2xx || a.errors || b?.non2xx || b?.errors) console.warn(`warning: ${p.page}: unexpected statuses or errors (agora ${a.non2xx}/${a.errors}, baseline ${b?.non2xx ?? 0}/${b?.errors ?? 0})`);
    results.push({
      page: p.page,
      agora: a,
      baseline: b,
      ratio: b ? a.requestsPerSecond / b.requestsPerSecond : undefined,
      sizeDiffPercent: b ? (100 * (a.bytes - b.bytes)) / b.bytes : undefined,
    });
  }
} finally {
  agora.stop();
  baseline.stop();
}

const peak = (k: 'agora' | 'baseline') => Math.max(0, ...results.map((r) => r[k]?.peakRssMb ?? 0));
console.log(`\n== Pages (${SECONDS} s each, ${CONNECTIONS} connections, ${dialect}, all ${bundled.length} bundled plugins; load average ${loadAverage})`);
printTable(
  results.map((r) => ({
    page: r.page,
    'agora req/s': r.agora.requestsPerSecond.toFixed(0),
    'agora p50/p99 ms': `${r.agora.p50}/${r.agora.p99}`,
    'agora err': r.agora.non2xx + r.agora.errors,
    'baseline req/s': r.baseline ? r.baseline.requestsPerSecond.toFixed(0) : '-',
    'baseline p50/p99 ms': r.baseline ? `${r.baseline.p50}/${r.baseline.p99}` : '-',
    'agora/baseline': r.ratio === undefined ? 'no baseline' : r.ratio.toFixed(2),
    'html bytes a/b': r.baseline ? `${r.agora.bytes}/${r.baseline.bytes}${Math.abs(r.sizeDiffPercent ?? 0) > 1 ? ` (${(r.sizeDiffPercent ?? 0).toFixed(1)} %!)` : ''}` : String(r.agora.bytes),
  })),
);
console.log(`\n== Resident memory (MB): Agora idle ${idle.agora}, under load up to ${peak('agora')}; baseline idle ${idle.baseline}, under load up to ${peak('baseline')}`);

const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: rootDir, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(
  OUT,
  JSON.stringify(
    {
      at: new Date().toISOString(),
      commit,
      dialect,
      agora: AGORA,
      seconds: SECONDS,
      connections: CONNECTIONS,
      plugins: bundled,
      products: BENCH_PRODUCTS,
      shops: BENCH_SHOPS,
      loadAverage,
      memoryMb: { agora: { idle: idle.agora, peak: peak('agora') }, baseline: { idle: idle.baseline, peak: peak('baseline') } },
      hooks: hookRows,
      pages: results,
    },
    null,
    2,
  ) + '\n',
);
console.log(`\nWrote ${path.relative(process.cwd(), OUT)}`);
process.exit(0);

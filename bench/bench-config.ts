import path from 'node:path';
import { loadConfig, rootDir, type Config } from '../core/config';

/** The benchmark's own store: `data/bench` (SQLite) unless DATABASE_URL points elsewhere. */
export function benchConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATA_DIR: process.env.BENCH_DATA_DIR ?? path.join(rootDir, 'data', 'bench'),
    DEMO_SEED: '0',
    ADMIN_EMAIL: 'bench-admin@agora.local',
    ADMIN_PASSWORD: 'bench-admin-password',
    ...env,
  });
}

export const BENCH_SHOPS = Number(process.env.BENCH_SHOPS ?? 1000);
export const BENCH_PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 100_000);
/** Shoppers (customers) beside the sellers: the marketplace's people. */
export const BENCH_USERS = Number(process.env.BENCH_USERS ?? 100_000);

/** Agora with every bundled plugin active, on the benchmark store; prints "ready <port>" when listening. */
import type { AddressInfo } from 'node:net';
import { createPlatform, startPlatform } from '../core/create-platform';
import { buildApp } from '../core/app';
import { benchConfig } from './bench-config';

const platform = await createPlatform(benchConfig());
const { app } = buildApp(platform);
platform.plugins.discover();
await startPlatform(platform, platform.plugins.list().filter((p) => p.source === 'bundled').map((p) => p.manifest.name));
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`ready ${(server.address() as AddressInfo).port}`);
});
// A clean exit on SIGTERM, so `node --cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));
